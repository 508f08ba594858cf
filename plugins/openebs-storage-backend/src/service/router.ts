import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  openebsStorageMigratePermission,
  openebsStorageReadPermission,
  openebsStorageRestoreAdminPermission,
  openebsStorageRestoreCreatePermission,
  openebsStorageRestoreInPlacePermission,
  RestoreRequestInput,
  RestoreRequestList,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { EntityStorageService } from '../storage/EntityStorageService';
import { RestoreService } from '../restore/RestoreService';
import { DrillService } from '../drill/DrillService';
import { EntityAlerts } from '../alerts/EntityAlerts';
import { EntityDatabases } from '../databases/EntityDatabases';
import {
  DNS_LABEL,
  DNS_SUBDOMAIN,
  parsePreviewInput,
  parseRestoreInput,
} from '../restore/restoreInput';
import { Requester } from '../tenancy/namespaceAccess';
import { MigrationService } from '../migration/MigrationService';
import { addMigrationRoutes } from './migrationRoutes';
import { normalizeOwnerRef } from '../tenancy/NamespaceOwnership';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  logger: LoggerService;
  storage: EntityStorageService;
  restores: RestoreService;
  drills: DrillService;
  alerts: EntityAlerts;
  databases: EntityDatabases;
  auditor: AuditorService;
  migrations: MigrationService;
}

const NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,252}$/;
const databaseParams = z.object({
  cluster: z.string().regex(NAME),
  dbNamespace: z.string().regex(DNS_LABEL),
  db: z.string().regex(DNS_SUBDOMAIN),
});
/** The value as the schema reads it, or a 400 naming what is wrong. */
function parseOrRefuse<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      `Invalid ${what}: ${parsed.error.issues
        .map(i => `${i.path.join('.')} ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
const migrationPlanQuery = z
  .object({
    targetClass: z.string().regex(DNS_SUBDOMAIN),
    name: z.string().regex(DNS_SUBDOMAIN).max(50).optional(),
  })
  .strict();
const entityParams = z.object({
  kind: z.string().regex(NAME),
  namespace: z.string().regex(NAME),
  name: z.string().regex(NAME),
});

/**
 * HTTP translation only: authorise, validate, call the service, respond.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    userInfo,
    catalog,
    storage,
    restores,
    drills,
    alerts,
    databases,
    auditor,
    migrations,
  } = options;
  const router = Router();
  router.use(express.json());

  function entityRefOf(params: unknown): string {
    return stringifyEntityRef(
      parseOrRefuse(entityParams, params, 'entity reference'),
    );
  }

  async function permitted(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async function authorize(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    if (!(await permitted(permission, entityRef, credentials))) {
      throw new NotAllowedError(
        `Missing permission ${permission.name} for ${entityRef}`,
      );
    }
  }

  async function allowed(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** The requester as the platform knows them: the sign-in's ownership refs. */
  async function requesterOf(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Requester> {
    const info = await userInfo.getUserInfo(credentials);
    return {
      userEntityRef: credentials.principal.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs.map(ref =>
        normalizeOwnerRef(ref),
      ),
      isAdmin: await allowed(openebsStorageRestoreAdminPermission, credentials),
    };
  }

  /**
   * Restores need a user with the create permission on the entity. In place,
   * one without the in-place permission may still ask: the request then
   * waits for a platform admin's approval (`awaitApproval`).
   */
  async function restoreCaller(
    req: express.Request,
    entityRef: string,
    input: Pick<RestoreRequestInput, 'mode'>,
  ) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(
      openebsStorageRestoreCreatePermission,
      entityRef,
      credentials,
    );
    const awaitApproval =
      input.mode === 'in-place' &&
      !(await permitted(
        openebsStorageRestoreInPlacePermission,
        entityRef,
        credentials,
      ));
    const entity = await loadEntity(entityRef, credentials);
    return {
      entity,
      requester: await requesterOf(credentials),
      awaitApproval,
    };
  }

  async function loadEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  }

  addMigrationRoutes(
    router,
    { httpAuth, auditor, entityRefOf, authorize, loadEntity, requesterOf },
    migrations,
  );

  router.get('/entities/:kind/:namespace/:name/storage', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const credentials = await httpAuth.credentials(req);
    await authorize(openebsStorageReadPermission, entityRef, credentials);
    const entity = await loadEntity(entityRef, credentials);
    const withHealth = await drills.withHealth(
      entity,
      await storage.getEntityStorage(entity),
    );
    res.json(
      await databases.withDatabases(await alerts.withAlerts(withHealth)),
    );
  });

  // The proposal only: nothing is created, so reading it needs the right
  // to migrate, not to change anything.
  router.get(
    '/entities/:kind/:namespace/:name/databases/:cluster/:dbNamespace/:db/migration-plan',
    async (req, res) => {
      const entityRef = entityRefOf(req.params);
      const params = parseOrRefuse(databaseParams, req.params, 'database');
      const query = parseOrRefuse(
        migrationPlanQuery,
        req.query,
        'migration plan request',
      );
      const credentials = await httpAuth.credentials(req);
      await authorize(openebsStorageMigratePermission, entityRef, credentials);
      const entity = await loadEntity(entityRef, credentials);
      res.json(
        await databases.migrationPlan(await storage.getEntityStorage(entity), {
          cluster: params.cluster,
          namespace: params.dbNamespace,
          name: params.db,
          targetClass: query.targetClass,
          newName: query.name,
        }),
      );
    },
  );

  router.get('/entities/:kind/:namespace/:name/drills', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const credentials = await httpAuth.credentials(req);
    await authorize(openebsStorageReadPermission, entityRef, credentials);
    res.json(
      await drills.listForEntity(await loadEntity(entityRef, credentials)),
    );
  });

  // The entity's sealed drill records and the check of the whole chain, as
  // a file an auditor can keep.
  router.get(
    '/entities/:kind/:namespace/:name/drills/evidence',
    async (req, res) => {
      const entityRef = entityRefOf(req.params);
      const credentials = await httpAuth.credentials(req);
      await authorize(openebsStorageReadPermission, entityRef, credentials);
      await loadEntity(entityRef, credentials);
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="restore-drills-${entityRef.replace(
          /[^A-Za-z0-9.-]/g,
          '_',
        )}.json"`,
      );
      res.json(await drills.exportEvidence(entityRef));
    },
  );

  // A drill now, by someone who may restore the entity: queued (one at a
  // time per cluster, after users' restores), or the one already queued.
  router.post('/entities/:kind/:namespace/:name/drills', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const auditorEvent = await auditor.createEvent({
      eventId: 'restore-drill-request',
      severityLevel: 'low',
      request: req,
      meta: { entityRef },
    });
    try {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      await authorize(
        openebsStorageRestoreCreatePermission,
        entityRef,
        credentials,
      );
      const entity = await loadEntity(entityRef, credentials);
      const { drill, created } = await drills.runNow(
        entity,
        credentials.principal.userEntityRef,
      );
      await auditorEvent.success({
        meta: {
          drillId: drill.id,
          cluster: drill.cluster,
          sourceNamespace: drill.sourceNamespace,
          scratchNamespace: drill.scratchNamespace,
          created,
        },
      });
      res.status(created ? 201 : 200).json(drill);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  // Enrolment for scheduled drills, by someone who may restore the entity:
  // a cadence, `off`, or `null` to let the annotation decide.
  router.put(
    '/entities/:kind/:namespace/:name/drills/enrolment',
    async (req, res) => {
      const entityRef = entityRefOf(req.params);
      const auditorEvent = await auditor.createEvent({
        eventId: 'restore-drill-enrolment',
        severityLevel: 'low',
        request: req,
        meta: { entityRef, cadence: req.body?.cadence },
      });
      try {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user'],
        });
        await authorize(
          openebsStorageRestoreCreatePermission,
          entityRef,
          credentials,
        );
        const entity = await loadEntity(entityRef, credentials);
        res.json(
          await drills.setEnrolment(
            entity,
            req.body,
            credentials.principal.userEntityRef,
          ),
        );
        await auditorEvent.success();
      } catch (error) {
        await auditorEvent.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.get('/entities/:kind/:namespace/:name/restores', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const credentials = await httpAuth.credentials(req);
    await authorize(openebsStorageReadPermission, entityRef, credentials);
    await loadEntity(entityRef, credentials);
    const body: RestoreRequestList = {
      items: await restores.listRestores(entityRef),
    };
    res.json(body);
  });

  router.post('/entities/:kind/:namespace/:name/restores', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const auditorEvent = await auditor.createEvent({
      eventId: 'restore-request',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef },
    });
    try {
      const input = parseRestoreInput(req.body);
      const { entity, requester, awaitApproval } = await restoreCaller(
        req,
        entityRef,
        input,
      );
      const { request, created } = await restores.requestRestore(
        entity,
        input,
        requester,
        { awaitApproval },
      );
      await auditorEvent.success({
        meta: {
          requestId: request.id,
          restoreName: request.restoreName,
          mode: request.mode,
          backupName: request.backupName,
          cluster: request.cluster,
          targetNamespace: request.targetNamespace,
          created,
          state: request.state,
        },
      });
      res.status(created ? 201 : 200).json(request);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  // What a request would bring back, or why it would be refused: the same
  // checks as the request, nothing recorded, nothing created.
  router.post(
    '/entities/:kind/:namespace/:name/restores/preview',
    async (req, res) => {
      const entityRef = entityRefOf(req.params);
      const input = parsePreviewInput(req.body);
      const { entity, requester } = await restoreCaller(req, entityRef, input);
      res.json(await restores.preview(entity, input, requester));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/restores/:id/cancel',
    async (req, res) => {
      const entityRef = entityRefOf(req.params);
      const auditorEvent = await auditor.createEvent({
        eventId: 'restore-cancel',
        severityLevel: 'medium',
        request: req,
        meta: { entityRef, requestId: req.params.id },
      });
      try {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user'],
        });
        if (
          !(await allowed(openebsStorageRestoreAdminPermission, credentials))
        ) {
          throw new NotAllowedError(
            `Missing permission ${openebsStorageRestoreAdminPermission.name}: only platform admins cancel restores`,
          );
        }
        await loadEntity(entityRef, credentials);
        const request = await restores.cancel(
          entityRef,
          req.params.id,
          credentials.principal.userEntityRef,
        );
        await auditorEvent.success({
          meta: { restoreName: request.restoreName, cluster: request.cluster },
        });
        res.json(request);
      } catch (error) {
        await auditorEvent.fail({ error: error as Error });
        throw error;
      }
    },
  );

  // A platform admin decides an in-place request that waits for approval.
  router.post(
    '/entities/:kind/:namespace/:name/restores/:id/approve',
    async (req, res) => {
      const entityRef = entityRefOf(req.params);
      await decide(req, res, entityRef, 'restore-approve', async caller => {
        const entity = await loadEntity(entityRef, caller.credentials);
        return restores.approve(
          entity,
          req.params.id,
          await requesterOf(caller.credentials),
        );
      });
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/restores/:id/reject',
    async (req, res) => {
      const entityRef = entityRefOf(req.params);
      await decide(req, res, entityRef, 'restore-reject', async caller => {
        const { reason } = parseRejection(req.body);
        await loadEntity(entityRef, caller.credentials);
        return restores.reject(entityRef, req.params.id, caller.user, reason);
      });
    },
  );

  /** An approval decision: the in-place permission on the entity, audited. */
  async function decide(
    req: express.Request,
    res: express.Response,
    entityRef: string,
    eventId: 'restore-approve' | 'restore-reject',
    run: (caller: {
      credentials: BackstageCredentials<BackstageUserPrincipal>;
      user: string;
    }) => Promise<RestoreRequest>,
  ) {
    const auditorEvent = await auditor.createEvent({
      eventId,
      severityLevel: 'high',
      request: req,
      meta: { entityRef, requestId: req.params.id },
    });
    try {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      await authorize(
        openebsStorageRestoreInPlacePermission,
        entityRef,
        credentials,
      );
      const request = await run({
        credentials,
        user: credentials.principal.userEntityRef,
      });
      await auditorEvent.success({
        meta: {
          restoreName: request.restoreName,
          requestedBy: request.requestedBy,
          reason: request.approval?.reason,
        },
      });
      res.json(request);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  }

  return router;
}

const rejectionSchema = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict();

function parseRejection(body: unknown): { reason: string } {
  const parsed = rejectionSchema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      'A rejection needs a reason: {"reason": "…"} (1 to 500 characters)',
    );
  }
  return parsed.data;
}
