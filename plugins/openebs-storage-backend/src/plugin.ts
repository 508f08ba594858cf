import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DRILL_ANNOTATION,
  KUBERNETES_ANNOTATIONS,
  openebsStoragePermissions,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';
import { readStorageConfig } from './config';
import {
  AnnotationNamespaceTenancy,
  NamespaceTenancy,
} from './tenancy/NamespaceTenancy';
import { NamespaceOwnership } from './tenancy/NamespaceOwnership';
import { openebsStorageTenancyExtensionPoint } from './tenancy/extensionPoint';
import { RestorePlanner } from './restore/RestorePlanner';
import { readClusterDefinitions } from './kubernetes/clusterConfig';
import { ClusterCache } from './kubernetes/ClusterCache';
import { ClusterCaches } from './kubernetes/ClusterCaches';
import { EntityStorageService } from './storage/EntityStorageService';
import { MigrationRunner } from './migration/MigrationRunner';
import { MigrationService } from './migration/MigrationService';
import { MigrationStore } from './migration/MigrationStore';
import { createRouter } from './service/router';
import { RestoreStore } from './restore/RestoreStore';
import { RestoreService } from './restore/RestoreService';
import { InPlaceRunner } from './restore/InPlaceRunner';
import { RestoreTracker } from './restore/RestoreTracker';
import { RestoreLogs } from './restore/RestoreLogs';
import { createRestoreAnnouncer } from './restore/restoreAnnouncer';
import { createMigrationAnnouncer } from './migration/migrationAnnouncer';
import { DrillStore } from './drill/DrillStore';
import { DrillService } from './drill/DrillService';
import { DrillRunner } from './drill/DrillRunner';
import { EntityStorageMetrics } from './metrics/EntityStorageMetrics';
import { observeVeleroQueue } from './metrics/veleroQueue';
import { EntityAlerts } from './alerts/EntityAlerts';
import { EntityDatabases } from './databases/EntityDatabases';
import { createRestoreOutcomeCounter } from './metrics/restoreOutcomes';

/** Seconds between two passes over the running migrations. */
const MIGRATION_PASS_SECONDS = 2;

/**
 * The OpenEBS storage backend plugin: per catalog entity, the status of its
 * volumes, snapshots and Velero backups.
 *
 * @public
 */
export const openebsStoragePlugin = createBackendPlugin({
  pluginId: 'openebs-storage',
  register(env) {
    let tenancy: NamespaceTenancy | undefined;
    env.registerExtensionPoint(openebsStorageTenancyExtensionPoint, {
      setNamespaceTenancy(replacement) {
        if (tenancy) {
          throw new Error(
            'The namespace tenancy of openebs-storage was already set by another module',
          );
        }
        tenancy = replacement;
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        signals: signalsServiceRef,
        notifications: notificationService,
        metrics: metricsServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        userInfo,
        permissionsRegistry,
        lifecycle,
        catalog,
        database,
        scheduler,
        auditor,
        auth,
        signals,
        notifications,
        metrics,
      }) {
        permissionsRegistry.addPermissions(openebsStoragePermissions);
        const {
          veleroNamespace,
          serviceLevels,
          restoreTrackingSeconds,
          limits,
          approvers,
          tenancy: tenancyConfig,
          drills: drillConfig,
          metricsRefreshSeconds,
          alertmanagers,
          migrationCopyImage,
        } = readStorageConfig(config);
        const ownership = new NamespaceOwnership(
          tenancy ??
            new AnnotationNamespaceTenancy(tenancyConfig.ownerAnnotation),
        );

        const clusters = readClusterDefinitions(config, logger).map(
          definition => new ClusterCache(definition, veleroNamespace, logger),
        );
        logger.info(
          `Watching ${clusters.length} cluster(s) for storage status: ${clusters
            .map(c => c.name)
            .join(', ')}`,
        );
        // Caches fill in the background; until then responses say
        // "not-synced" per cluster instead of blocking startup.
        for (const cluster of clusters) {
          void cluster.start();
        }
        lifecycle.addShutdownHook(() => clusters.forEach(c => c.stop()));
        const caches = new ClusterCaches(clusters);

        const storage = new EntityStorageService({
          clusters: caches,
          serviceLevels,
          ownership,
        });
        const store = await RestoreStore.create(database);
        const countOutcome = createRestoreOutcomeCounter(metrics);
        const announceToPeople = createRestoreAnnouncer({
          signals,
          notifications,
          auditor,
          catalog,
          auth,
          logger,
          restoreSeconds: serviceLevels.restoreSeconds,
          approvers,
        });
        const announce = async (request: RestoreRequest) => {
          await countOutcome(request);
          await announceToPeople(request);
        };

        const restores = new RestoreService({
          store,
          clusters: caches,
          veleroNamespace,
          serviceLevels,
          limits,
          logger,
          planner: new RestorePlanner({ ownership, tenancy: tenancyConfig }),
          announce,
        });
        const tracker = new RestoreTracker({
          store,
          clusters: caches,
          logger,
          logs: new RestoreLogs(veleroNamespace),
          inPlace: new InPlaceRunner({
            store,
            veleroNamespace,
            logger,
            now: () => new Date(),
          }),
          announce,
        });
        // Global scope: one backend instance at a time follows the restores.
        await scheduler.scheduleTask({
          id: 'openebs-storage-restore-tracker',
          scope: 'global',
          frequency: {
            seconds: restoreTrackingSeconds,
          },
          timeout: { minutes: 1 },
          fn: () => tracker.syncOnce(),
        });

        const serviceCredentials = () => auth.getOwnServiceCredentials();
        const drillStore = await DrillStore.create(
          database,
          drillConfig.evidenceKey,
        );
        const drills = new DrillService({
          store: drillStore,
          storage,
          restores,
          tenancy: tenancyConfig,
          config: drillConfig,
          listEnrolled: async () => {
            const credentials = await serviceCredentials();
            const annotated = await catalog.getEntities(
              {
                filter: {
                  [`metadata.annotations.${DRILL_ANNOTATION}`]:
                    CATALOG_FILTER_EXISTS,
                },
              },
              { credentials },
            );
            const onTab = await catalog.getEntitiesByRefs(
              { entityRefs: await drillStore.enrolments.enrolledOnTab() },
              { credentials },
            );
            // Annotated and enrolled on the tab: listed once (which of the
            // two counts is read when it is queued).
            const byRef = new Map(
              [...annotated.items, ...onTab.items]
                .filter((e): e is Entity => Boolean(e))
                .map(e => [stringifyEntityRef(e), e]),
            );
            return [...byRef.values()];
          },
          logger,
        });
        const drillRunner = new DrillRunner({
          store: drillStore,
          restoreStore: store,
          restores,
          storage,
          clusters: caches,
          tenancy: tenancyConfig,
          veleroNamespace,
          loadEntity: async ref =>
            catalog.getEntityByRef(ref, {
              credentials: await serviceCredentials(),
            }),
          readyTimeoutSeconds: drillConfig.readyTimeoutSeconds,
          logger,
        });
        if (drillConfig.enabled) {
          // Global: one instance leads the drills; the catalog is asked for
          // enrolled entities at most every five minutes.
          let enqueuedAt = 0;
          await scheduler.scheduleTask({
            id: 'openebs-storage-restore-drills',
            scope: 'global',
            frequency: { seconds: drillConfig.frequencySeconds },
            timeout: { minutes: 2 },
            fn: async () => {
              if (
                drillConfig.scheduled &&
                Date.now() - enqueuedAt > 5 * 60_000
              ) {
                enqueuedAt = Date.now();
                await drills.enqueueDue();
              }
              await drillRunner.syncOnce();
            },
          });
        }

        // Read at scrape time from the caches: no timer of its own.
        observeVeleroQueue({ metrics, clusters: caches });

        if (metricsRefreshSeconds > 0) {
          const entityMetrics = new EntityStorageMetrics({
            metrics,
            storage,
            drills,
            listEntities: async () =>
              (
                await catalog.getEntities(
                  {
                    filter: [
                      KUBERNETES_ANNOTATIONS.id,
                      KUBERNETES_ANNOTATIONS.labelSelector,
                    ].map(annotation => ({
                      [`metadata.annotations.${annotation}`]:
                        CATALOG_FILTER_EXISTS,
                    })),
                  },
                  { credentials: await serviceCredentials() },
                )
              ).items,
            logger,
          });
          // Local: every instance serves its own gauges to its scraper.
          await scheduler.scheduleTask({
            id: 'openebs-storage-entity-metrics',
            scope: 'local',
            frequency: { seconds: metricsRefreshSeconds },
            timeout: { minutes: 2 },
            fn: () => entityMetrics.refresh(),
          });
        }

        const migrations = new MigrationService({
          store: await MigrationStore.create(database),
          clusters: caches,
          ownership,
          tenancy: tenancyConfig,
          runner: new MigrationRunner({
            copyImage: migrationCopyImage,
            logger,
            now: () => new Date(),
          }),
          logger,
          downtimeLimitSeconds: serviceLevels.migrationDowntimeSeconds,
          announce: createMigrationAnnouncer({
            notifications,
            auditor,
            catalog,
            auth,
            logger,
            downtimeLimitSeconds: serviceLevels.migrationDowntimeSeconds,
          }),
        });
        // Global: one instance leads the migrations' steps. Each pass ends at
        // the first step that waits, and the workloads are stopped meanwhile:
        // passes come often (an idle pass is one query).
        await scheduler.scheduleTask({
          id: 'openebs-storage-volume-migrations',
          scope: 'global',
          frequency: { seconds: MIGRATION_PASS_SECONDS },
          timeout: { minutes: 1 },
          fn: () => migrations.syncOnce(),
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            userInfo,
            catalog,
            logger,
            storage,
            restores,
            drills,
            alerts: new EntityAlerts(alertmanagers, veleroNamespace),
            databases: new EntityDatabases(caches),
            auditor,
            migrations,
          }),
        );
      },
    });
  },
});
