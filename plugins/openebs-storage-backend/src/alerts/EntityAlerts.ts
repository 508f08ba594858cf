import {
  EntityStorage,
  StorageAlert,
} from '@openebs-portal/plugin-openebs-storage-common';
import { AlertmanagerClient } from './AlertmanagerClient';
import { alertConcern, toStorageAlert } from './alertConcern';

/**
 * Adds to each cluster of an entity's storage the firing alerts of that
 * cluster's Alertmanager that concern the entity. Optional: a cluster with
 * no Alertmanager configured gets none; one whose Alertmanager cannot be
 * read gets an error entry, and the rest of the answer stands.
 */
export class EntityAlerts {
  private readonly clients: Map<string, AlertmanagerClient>;

  constructor(
    alertmanagers: Array<{ cluster: string; url: string }>,
    private readonly veleroNamespace: string,
  ) {
    this.clients = new Map(
      alertmanagers.map(a => [a.cluster, new AlertmanagerClient(a.url)]),
    );
  }

  async withAlerts(storage: EntityStorage): Promise<EntityStorage> {
    if (this.clients.size === 0) return storage;
    const clusters = await Promise.all(
      storage.clusters.map(async cluster => {
        const client = this.clients.get(cluster.cluster);
        if (!client) return cluster;
        try {
          const alerts: StorageAlert[] = [];
          for (const alert of await client.firing()) {
            const concerns = alertConcern(
              alert.labels,
              cluster,
              storage.entityRef,
              this.veleroNamespace,
            );
            if (concerns) alerts.push(toStorageAlert(alert, concerns));
          }
          alerts.sort((a, b) => a.since.localeCompare(b.since));
          return { ...cluster, alerts };
        } catch (error) {
          return {
            ...cluster,
            errors: [
              ...cluster.errors,
              {
                reason: 'error' as const,
                resource: 'Alertmanager alerts',
                message: `The alerts of cluster ${
                  cluster.cluster
                } could not be read from Alertmanager at ${
                  client.url
                }: ${describeFailure(error)}`,
              },
            ],
          };
        }
      }),
    );
    return { ...storage, clusters };
  }
}

/** `fetch failed (ECONNREFUSED)`: fetch hides the reason in its cause. */
function describeFailure(error: unknown): string {
  const { message, cause } = error as {
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const reason = cause?.code ?? cause?.message;
  return `${message ?? String(error)}${reason ? ` (${reason})` : ''}`;
}
