import { ResponseError } from '@backstage/errors';
import {
  RestorePreview,
  RestoreRequest,
  RestoreRequestInput,
} from '@openebs-portal/plugin-openebs-storage-common';
import { fullStorage } from '../testing/fixtures';
import { completedRestore, inProgressRestore } from '../testing/restores';
import { OpenebsStorageClient } from './OpenebsStorageClient';

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

const shopRef = { kind: 'Component', namespace: 'shop', name: 'shop' };

describe('OpenebsStorageClient', () => {
  const discoveryApi = {
    getBaseUrl: jest
      .fn()
      .mockResolvedValue('http://backstage.test/api/openebs-storage'),
  };

  function clientReturning(response: Response) {
    const fetchApi = { fetch: jest.fn().mockResolvedValue(response) };
    return {
      fetchApi,
      client: new OpenebsStorageClient({ discoveryApi, fetchApi }),
    };
  }

  it('asks the backend for the entity, encoding each path segment', async () => {
    const { client, fetchApi } = clientReturning(
      jsonResponse(200, fullStorage),
    );

    const storage = await client.getEntityStorage({
      kind: 'Component',
      namespace: 'team a',
      name: 'shop/v2?',
    });

    expect(storage).toEqual(fullStorage);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('openebs-storage');
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/openebs-storage/entities/component/team%20a/shop%2Fv2%3F/storage',
      undefined,
    );
  });

  it('posts a restore request as JSON and returns the recorded request', async () => {
    const { client, fetchApi } = clientReturning(
      jsonResponse(201, inProgressRestore),
    );
    const input: RestoreRequestInput = {
      requestId: '6f1c2a54-3f7e-4c55-9a8e-5d0c1b2a3e4f',
      cluster: 'lab-a',
      backupName: 'daily-20261116020000',
      namespace: 'shop',
      volumes: ['data-shop-0'],
      mode: 'new-namespace',
      targetNamespace: 'shop-restore-20261117-1200',
    };

    const request = await client.requestRestore(shopRef, input);

    expect(request).toEqual(inProgressRestore);
    const [url, init] = fetchApi.fetch.mock.calls[0];
    expect(url).toBe(
      'http://backstage.test/api/openebs-storage/entities/component/shop/shop/restores',
    );
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual(input);
  });

  it('posts a restore preview without a request id and returns what would come back', async () => {
    const preview: RestorePreview = {
      targetNamespace: 'shop-restore-20261117-1200',
      contents: {
        claims: ['data-shop-0', 'data-db-0'],
        workloads: ['StatefulSet/shop', 'StatefulSet/db'],
      },
    };
    const { client, fetchApi } = clientReturning(jsonResponse(200, preview));
    const input: Omit<RestoreRequestInput, 'requestId'> = {
      cluster: 'lab-a',
      backupName: 'daily-20261116020000',
      namespace: 'shop',
      volumes: ['data-shop-0'],
      mode: 'new-namespace',
      targetNamespace: 'shop-restore-20261117-1200',
    };

    await expect(client.previewRestore(shopRef, input)).resolves.toEqual(
      preview,
    );
    const [url, init] = fetchApi.fetch.mock.calls[0];
    expect(url).toBe(
      'http://backstage.test/api/openebs-storage/entities/component/shop/shop/restores/preview',
    );
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual(input);
  });

  it('keeps the reason of a refused preview, as for the request itself', async () => {
    const message =
      'Namespace shop-restore-20261117-1200 exists: choose another target namespace.';
    const { client } = clientReturning(
      jsonResponse(409, {
        error: { name: 'ConflictError', message },
        response: { statusCode: 409 },
      }),
    );

    const error = await client
      .previewRestore(shopRef, {
        cluster: 'lab-a',
        backupName: 'daily-20261116020000',
        namespace: 'shop',
        volumes: ['data-shop-0'],
        mode: 'new-namespace',
        targetNamespace: 'shop-restore-20261117-1200',
      })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe(message);
  });

  it('cancels a restore by its id, with an empty POST', async () => {
    const cancelled: RestoreRequest = {
      ...inProgressRestore,
      state: 'cancelled',
      cancelledBy: 'user:default/platform-admin',
    };
    const { client, fetchApi } = clientReturning(jsonResponse(200, cancelled));

    await expect(client.cancelRestore(shopRef, 'req/4')).resolves.toEqual(
      cancelled,
    );
    const [url, init] = fetchApi.fetch.mock.calls[0];
    expect(url).toBe(
      'http://backstage.test/api/openebs-storage/entities/component/shop/shop/restores/req%2F4/cancel',
    );
    expect(init.method).toBe('POST');
    expect(init.body).toBeUndefined();
  });

  it('approves, and rejects with a reason, a restore awaiting approval', async () => {
    const decided = { ...inProgressRestore, id: 'req/5' };
    const fetchApi = {
      fetch: jest
        .fn()
        .mockResolvedValueOnce(jsonResponse(200, decided))
        .mockResolvedValueOnce(jsonResponse(200, decided)),
    };
    const client = new OpenebsStorageClient({ discoveryApi, fetchApi });
    await client.decideRestore(shopRef, 'req/5', { approve: true });
    await client.decideRestore(shopRef, 'req/5', {
      approve: false,
      reason: 'not now',
    });
    const [[approveUrl, approve], [rejectUrl, reject]] =
      fetchApi.fetch.mock.calls;
    expect(approveUrl).toBe(
      'http://backstage.test/api/openebs-storage/entities/component/shop/shop/restores/req%2F5/approve',
    );
    expect(approve).toMatchObject({ method: 'POST' });
    expect(rejectUrl).toBe(
      'http://backstage.test/api/openebs-storage/entities/component/shop/shop/restores/req%2F5/reject',
    );
    expect(JSON.parse(reject.body)).toEqual({ reason: 'not now' });
  });

  it('asks for a CloudNativePG migration plan on the database’s path, the class as a query', async () => {
    const plan = { cluster: 'orders', target: { name: 'orders-openebs' } };
    const { client, fetchApi } = clientReturning(jsonResponse(200, plan));
    expect(
      await client.getPostgresMigrationPlan(shopRef, {
        cluster: 'lab a',
        namespace: 'shop',
        name: 'orders',
        targetClass: 'openebs-localpv-hostpath',
      }),
    ).toEqual(plan);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/openebs-storage/entities/component/shop/shop/databases/lab%20a/shop/orders/migration-plan?targetClass=openebs-localpv-hostpath',
      undefined,
    );
  });

  it('lists the restores of an entity', async () => {
    const list = { items: [inProgressRestore, completedRestore] };
    const { client, fetchApi } = clientReturning(jsonResponse(200, list));

    await expect(client.listRestores(shopRef)).resolves.toEqual(list);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/openebs-storage/entities/component/shop/shop/restores',
      undefined,
    );
  });

  it('keeps the reason of a refused restore', async () => {
    const message =
      'In-place restore refused: pod shop-0 still runs in namespace shop. Scale the workload to zero, delete the claims, then retry.';
    const { client } = clientReturning(
      jsonResponse(400, {
        error: { name: 'InputError', message },
        response: { statusCode: 400 },
      }),
    );

    const error = await client
      .requestRestore(shopRef, {
        requestId: 'r-1',
        cluster: 'lab-a',
        backupName: 'daily-20261116020000',
        namespace: 'shop',
        volumes: ['data-shop-0'],
        mode: 'in-place',
        confirmation: 'shop',
      })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.name).toBe('InputError');
    expect(error.cause.message).toBe(message);
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const { client } = clientReturning(
      jsonResponse(403, {
        error: { name: 'NotAllowedError', message: 'Unauthorized' },
        response: { statusCode: 403 },
      }),
    );

    const error = await client.getEntityStorage(shopRef).catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
    expect(error.cause.message).toBe('Unauthorized');
  });
});
