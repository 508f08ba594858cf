import type { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import {
  ALLOWED_HOSTS_ANNOTATION,
  TemplateHostsProcessor,
} from './TemplateHostsProcessor';

function shippedTemplate(name: string): Entity {
  return parseDocument(
    readFileSync(
      resolve(__dirname, `../../../../templates/${name}/template.yaml`),
      'utf8',
    ),
  ).toJS();
}

/** Every allowedHosts list of a template, wherever it is. */
function allowedHostsLists(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(allowedHostsLists);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'allowedHosts' ? [value] : allowedHostsLists(value),
  );
}

describe('TemplateHostsProcessor', () => {
  const processor = new TemplateHostsProcessor(['git.example.com']);

  it.each(['openebs-workload', 'openebs-velero-platform'])(
    "gives the shipped %s template the portal's hosts in every picker",
    async name => {
      const template = shippedTemplate(name);
      // Shipped: github.com only (no lab address), and asking for config.
      expect(template.metadata.annotations?.[ALLOWED_HOSTS_ANNOTATION]).toBe(
        'config',
      );
      expect(allowedHostsLists(template.spec)).toEqual([['github.com']]);

      const processed = await processor.preProcessEntity(template);
      expect(allowedHostsLists(processed.spec)).toEqual([['git.example.com']]);
      // Nothing else changes, and the input is left as it was.
      expect({ ...processed, spec: undefined }).toEqual({
        ...template,
        spec: undefined,
      });
      expect(allowedHostsLists(template.spec)).toEqual([['github.com']]);
    },
  );

  it('leaves other entities alone, templates without the annotation too', async () => {
    const picker = {
      parameters: [
        {
          properties: {
            repoUrl: { 'ui:options': { allowedHosts: ['github.com'] } },
          },
        },
      ],
    };
    const other: Entity = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'someone-elses' },
      spec: picker,
    };
    expect(await processor.preProcessEntity(other)).toBe(other);
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'c',
        annotations: { [ALLOWED_HOSTS_ANNOTATION]: 'config' },
      },
      spec: picker,
    };
    expect(await processor.preProcessEntity(component)).toBe(component);
  });
});
