import { LoggerService } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterDefinition, kubeConfigFor } from './clusterConfig';
import { resourceKinds } from './resources';
import { ResourceReflector } from './ResourceReflector';

type Kinds = ReturnType<typeof resourceKinds>;
type Reflectors = {
  [K in keyof Kinds]: Kinds[K] extends { project(raw: any): infer T }
    ? ResourceReflector<T>
    : never;
};

/**
 * Everything the plugin knows about one cluster, kept current by watches.
 * Requests read from here and never call the cluster.
 */
export class ClusterCache {
  readonly reflectors: Reflectors;
  /** Credentials for the few direct calls (creating a Restore). */
  readonly kubeConfig: KubeConfig;

  constructor(
    readonly cluster: ClusterDefinition,
    veleroNamespace: string,
    logger: LoggerService,
    retryDelayMs?: number,
  ) {
    const kubeConfig = kubeConfigFor(cluster);
    this.kubeConfig = kubeConfig;
    const kinds = resourceKinds(veleroNamespace);
    const clusterLogger = logger.child({ cluster: cluster.name });
    this.reflectors = Object.fromEntries(
      Object.entries(kinds).map(([key, kind]) => [
        key,
        new ResourceReflector(
          kubeConfig,
          kind as any,
          clusterLogger,
          retryDelayMs,
        ),
      ]),
    ) as unknown as Reflectors;
  }

  get name(): string {
    return this.cluster.name;
  }

  /** Resolves once every resource has been listed once (or failed to). */
  async start(): Promise<void> {
    await Promise.all(Object.values(this.reflectors).map(r => r.start()));
  }

  stop(): void {
    for (const reflector of Object.values(this.reflectors)) {
      reflector.stop();
    }
  }

  /**
   * Why this cluster's data is incomplete, if it is. Identical errors from
   * several resources (a cluster that is down) collapse into one.
   */
  errors(): ClusterError[] {
    const errors: ClusterError[] = [];
    for (const reflector of Object.values(this.reflectors)) {
      const status = reflector.status;
      if (status.error) {
        errors.push(status.error);
      } else if (!status.synced) {
        errors.push({
          reason: 'not-synced',
          message: 'Still reading the cluster; try again in a moment',
          resource: reflector.label,
        });
      }
    }
    const byReason = new Map<string, ClusterError[]>();
    for (const error of errors) {
      const key = `${error.reason}:${error.message}`;
      byReason.set(key, [...(byReason.get(key) ?? []), error]);
    }
    return Array.from(byReason.values()).map(group =>
      group.length === 1
        ? group[0]
        : {
            ...group[0],
            resource: group.map(e => e.resource).join(', '),
          },
    );
  }

  /** Whether volume data (pods, claims, volumes) can be trusted. */
  volumesReadable(): boolean {
    const { pods, claims, volumes } = this.reflectors;
    return [pods, claims, volumes].every(
      r => r.status.synced && !r.status.error,
    );
  }

  /** Whether backup data can be trusted. */
  backupsReadable(): boolean {
    const { backups, podVolumeBackups, dataUploads, schedules } =
      this.reflectors;
    return [backups, podVolumeBackups, dataUploads, schedules].every(
      r => r.status.synced && !r.status.error,
    );
  }
}
