import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  openebsStorageMigratePermission,
  openebsStorageReadPermission,
  VolumeMigrationList,
} from '@openebs-portal/plugin-openebs-storage-common';
import express from 'express';
import { parseMigrationInput } from '../migration/migrationInput';
import { MigrationService } from '../migration/MigrationService';
import { Requester } from '../tenancy/namespaceAccess';

/** What the migration routes borrow from the router. */
export interface MigrationRouteHelpers {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  entityRefOf(params: unknown): string;
  authorize(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
  loadEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity>;
  requesterOf(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Requester>;
}

const BASE = '/entities/:kind/:namespace/:name/migrations';

/**
 * Volume migrations onto OpenEBS: listed by readers; requested, confirmed
 * and rolled back by users with `openebs.storage.migrate` on the entity
 * (its owners, by the default policy). Every change is audited.
 */
export function addMigrationRoutes(
  router: express.Router,
  helpers: MigrationRouteHelpers,
  migrations: MigrationService,
) {
  const { httpAuth, auditor, entityRefOf, authorize, loadEntity } = helpers;

  router.get(BASE, async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const credentials = await httpAuth.credentials(req);
    await authorize(openebsStorageReadPermission, entityRef, credentials);
    await loadEntity(entityRef, credentials);
    const body: VolumeMigrationList = {
      migrations: await migrations.listForEntity(entityRef),
    };
    res.json(body);
  });

  router.get(`${BASE}/:id/runbook`, async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const credentials = await httpAuth.credentials(req);
    await authorize(openebsStorageReadPermission, entityRef, credentials);
    await loadEntity(entityRef, credentials);
    res.json(await migrations.runbook(entityRef, req.params.id));
  });

  /** Runs a change as an audited event by a user allowed to migrate. */
  async function audited(
    req: express.Request,
    eventId: string,
    change: (
      entityRef: string,
      credentials: BackstageCredentials<BackstageUserPrincipal>,
    ) => Promise<{ status: number; body: { id: string; state: string } }>,
    res: express.Response,
  ) {
    const entityRef = entityRefOf(req.params);
    const auditorEvent = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta: { entityRef, migrationId: req.params.id },
    });
    try {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      await authorize(openebsStorageMigratePermission, entityRef, credentials);
      const { status, body } = await change(entityRef, credentials);
      await auditorEvent.success({
        meta: { migrationId: body.id, state: body.state },
      });
      res.status(status).json(body);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  }

  router.post(BASE, (req, res) =>
    audited(
      req,
      'volume-migration-request',
      async (entityRef, credentials) => {
        const input = parseMigrationInput(req.body);
        const entity = await loadEntity(entityRef, credentials);
        const { migration, created } = await migrations.request(
          entity,
          input,
          await helpers.requesterOf(credentials),
        );
        return { status: created ? 201 : 200, body: migration };
      },
      res,
    ),
  );

  router.post(`${BASE}/:id/confirm`, (req, res) =>
    audited(
      req,
      'volume-migration-confirm',
      async (entityRef, credentials) => ({
        status: 200,
        body: await migrations.confirm(
          entityRef,
          req.params.id,
          credentials.principal.userEntityRef,
        ),
      }),
      res,
    ),
  );

  router.post(`${BASE}/:id/rollback`, (req, res) =>
    audited(
      req,
      'volume-migration-rollback',
      async (entityRef, credentials) => ({
        status: 200,
        body: await migrations.rollBack(
          entityRef,
          req.params.id,
          credentials.principal.userEntityRef,
        ),
      }),
      res,
    ),
  );
}
