import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleOpenebs } from './module';

describe('scaffolderModuleOpenebs', () => {
  it('registers its ten actions, each with a schema and dry-run support', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...a: TemplateAction<any, any, any>[]) =>
              actions.push(...a),
          },
        ],
      ],
      features: [
        scaffolderModuleOpenebs,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(actions.map(a => a.id).sort()).toEqual([
      'openebs:flux:claim-class',
      'openebs:flux:cnpg-primary',
      'openebs:flux:cnpg-replica',
      'openebs:flux:platform',
      'openebs:flux:workload',
      'openebs:gitea:pull-request',
      'openebs:manifests:validate',
      'openebs:repository:diff',
      'openebs:repository:read',
      'openebs:sops:encrypt',
    ]);
    for (const a of actions) {
      expect({ id: a.id, supportsDryRun: a.supportsDryRun }).toEqual({
        id: a.id,
        supportsDryRun: true,
      });
      // The JSON schemas the scaffolder checks inputs against, made from zod.
      expect(a.schema?.input).toMatchObject({ type: 'object' });
      expect(
        Object.keys((a.schema?.input as any).properties).length,
      ).toBeGreaterThan(0);
      expect(a.schema?.output).toMatchObject({ type: 'object' });
    }
  });
});
