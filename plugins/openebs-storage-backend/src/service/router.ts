import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { openebsStorageReadPermission } from '@openebs-portal/plugin-openebs-storage-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { EntityStorageService } from '../storage/EntityStorageService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
  storage: EntityStorageService;
}

const NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,252}$/;
const entityParams = z.object({
  kind: z.string().regex(NAME),
  namespace: z.string().regex(NAME),
  name: z.string().regex(NAME),
});

/**
 * HTTP translation only: authorise, validate, call the service, respond.
 */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, catalog, storage } = options;
  const router = Router();
  router.use(express.json());

  router.get('/entities/:kind/:namespace/:name/storage', async (req, res) => {
    const parsed = entityParams.safeParse(req.params);
    if (!parsed.success) {
      throw new InputError(`Invalid entity reference: ${parsed.error.issues.map(i => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const entityRef = stringifyEntityRef(parsed.data);
    const credentials = await httpAuth.credentials(req);

    const [decision] = await permissions.authorize(
      [{ permission: openebsStorageReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Missing permission ${openebsStorageReadPermission.name} for ${entityRef}`,
      );
    }

    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    res.json(storage.getEntityStorage(entity));
  });

  return router;
}
