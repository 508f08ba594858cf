import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SignalPayload,
  SignalsService,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { LabCluster } from '@openebs-portal/lab-testkit';
import { openebsStoragePlugin } from '../plugin';

/** The lab cluster as the Kubernetes plugin's config declares it. */
export function labClusterConfig(lab: LabCluster, name = 'lab') {
  return {
    name,
    url: lab.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: lab.backstageToken,
    caData: lab.caData,
  };
}

export interface StorageTestBackendOptions {
  clusters: Array<Record<string, unknown>>;
  entities: Entity[];
  /** Permission names to allow; everything else is denied. Default: all. */
  allow?: string[];
  /** Users allowed every permission whatever `allow` says (platform admins). */
  admins?: string[];
  database?: Parameters<typeof mockServices.database.factory>[0];
  /** More features, such as modules using the plugin's extension points. */
  modules?: BackendFeature[];
  /** Config merged over the cluster list. */
  config?: Record<string, unknown>;
  /**
   * `manual` (default): tests run the tracker with trackRestores().
   * `real`: Backstage's own scheduler, whose global tasks run on one
   * instance at a time through the shared database.
   */
  scheduler?: 'manual' | 'real';
}

export interface StorageTestBackend {
  backend: TestBackend;
  server: TestBackend['server'];
  signals: { publish: jest.Mock<Promise<void>, [SignalPayload]> };
  notifications: { send: jest.Mock<Promise<void>, [NotificationSendOptions]> };
  /** Runs one pass of the restore tracker, as the scheduler would. */
  trackRestores(): Promise<void>;
  /** Runs one pass of the restore drills' task, as the scheduler would. */
  runDrills(): Promise<void>;
  /** Computes the per-entity gauges, as the scheduler would. */
  refreshMetrics(): Promise<void>;
}

/**
 * Starts the plugin in a test backend against real clusters, with Backstage's
 * own services mocked: permissions by name, the catalog in memory, signals
 * and notifications recorded, the scheduler triggered by hand.
 */
export async function startStorageTestBackend(
  options: StorageTestBackendOptions,
): Promise<StorageTestBackend> {
  const signals = {
    publish: jest.fn<Promise<void>, [SignalPayload]>(async () => {}),
  };
  const notifications = {
    send: jest.fn<Promise<void>, [NotificationSendOptions]>(async () => {}),
  };
  // Scheduled tasks are kept, not run: tests trigger them when they choose.
  const tasks = new Map<string, () => Promise<void>>();
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: async task => {
      tasks.set(task.id, () =>
        Promise.resolve(task.fn(new AbortController().signal)),
      );
    },
  });
  const permissions: PermissionsService = {
    authorize: async (requests, { credentials }) =>
      requests.map(request => ({
        result:
          !options.allow ||
          options.allow.includes(request.permission.name) ||
          options.admins?.includes(
            (credentials.principal as { userEntityRef?: string })
              .userEntityRef ?? '',
          )
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    authorizeConditional: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  };
  const backend = await startTestBackend({
    features: [
      openebsStoragePlugin,
      ...(options.modules ?? []),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              { type: 'config', clusters: options.clusters },
            ],
          },
          ...options.config,
        } as any,
      }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => permissions,
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      options.scheduler === 'real'
        ? schedulerServiceFactory
        : scheduler.factory,
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => signals as SignalsService,
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => notifications as NotificationService,
      }),
      ...(options.database
        ? [mockServices.database.factory(options.database)]
        : []),
    ],
  });
  const runTask = async (id: string) => {
    const task = tasks.get(id);
    if (!task) {
      throw new Error(
        `Task ${id} is not scheduled, or runs on the real scheduler in this backend`,
      );
    }
    await task();
  };
  return {
    backend,
    server: backend.server,
    signals,
    notifications,
    trackRestores: () => runTask('openebs-storage-restore-tracker'),
    runDrills: () => runTask('openebs-storage-restore-drills'),
    refreshMetrics: () => runTask('openebs-storage-entity-metrics'),
  };
}
