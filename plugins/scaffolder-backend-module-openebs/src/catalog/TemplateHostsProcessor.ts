import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';

/**
 * A template with this annotation set to `config` gets the portal's
 * `openebsScaffolder.allowedHosts` as every RepoUrlPicker's allowedHosts.
 * Backstage's picker offers only the hosts a template lists (and of those,
 * only hosts with an integration), so a template shipped with one list would
 * carry every portal's forges, a lab's address included.
 */
export const ALLOWED_HOSTS_ANNOTATION = 'openebs-portal.dev/allowed-hosts';

/** Replaces `ui:options.allowedHosts` wherever a parameter has it. */
export function withAllowedHosts(node: unknown, hosts: string[]): unknown {
  if (Array.isArray(node)) return node.map(n => withAllowedHosts(n, hosts));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === 'ui:options' &&
      value &&
      typeof value === 'object' &&
      'allowedHosts' in value
        ? { ...value, allowedHosts: [...hosts] }
        : withAllowedHosts(value, hosts);
  }
  return out;
}

/** Applies `openebsScaffolder.allowedHosts` to the templates that ask for it. */
export class TemplateHostsProcessor implements CatalogProcessor {
  constructor(private readonly hosts: string[]) {}

  getProcessorName(): string {
    return 'OpenebsTemplateHostsProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (
      entity.kind !== 'Template' ||
      entity.metadata.annotations?.[ALLOWED_HOSTS_ANNOTATION] !== 'config'
    ) {
      return entity;
    }
    return {
      ...entity,
      spec: withAllowedHosts(entity.spec, this.hosts) as Entity['spec'],
    };
  }
}
