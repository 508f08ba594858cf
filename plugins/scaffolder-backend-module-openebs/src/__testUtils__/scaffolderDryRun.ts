import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import scaffolderModuleOpenebs from '../index';

type DryRunFile = { path: string; base64Content: string };

export interface ScaffolderDryRun {
  /** The scaffolder's answer (steps, log, directoryContents). */
  res: request.Response;
  /** The files the template wrote, by path, as text. */
  files: Record<string, string>;
  /** The run's log, as JSON, for assertions on what it said. */
  log: string;
}

/**
 * Runs a template through the real scaffolder backend's `POST /v2/dry-run`
 * with this module's actions, and GitHub's as in packages/backend, on an
 * in-process backend that is stopped afterwards. Parameters are rendered,
 * inputs are checked against the actions' schemas, and steps whose `if` is
 * false (publishing without a repository) are skipped. Used by the template
 * tests and by the lab, which deploys what the template renders.
 */
export async function scaffolderDryRun(options: {
  template: unknown;
  values: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** Backend configuration beside `backend.baseUrl`. */
  config?: Record<string, unknown>;
  /** Other plugins the template's actions talk to. */
  features?: BackendFeature[];
}): Promise<ScaffolderDryRun> {
  const backend = await startTestBackend({
    features: [
      ...(options.features ?? []),
      scaffolderPlugin,
      scaffolderModuleOpenebs,
      scaffolderModuleGithub,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          ...options.config,
        },
      }),
    ],
  });
  try {
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template: options.template,
        values: options.values,
        secrets: options.secrets ?? {},
        directoryContents: [],
      });
    const files = Object.fromEntries(
      ((res.body.directoryContents ?? []) as DryRunFile[]).map(f => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
    return { res, files, log: JSON.stringify(res.body.log ?? []) };
  } finally {
    await backend.stop();
  }
}
