import { ResponseError } from '@backstage/errors';
import { fullStorage } from '../testing/fixtures';
import { OpenebsStorageClient } from './OpenebsStorageClient';

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

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
    );
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const { client } = clientReturning(
      jsonResponse(403, {
        error: { name: 'NotAllowedError', message: 'Unauthorized' },
        response: { statusCode: 403 },
      }),
    );

    const error = await client
      .getEntityStorage({ kind: 'Component', namespace: 'shop', name: 'shop' })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
    expect(error.cause.message).toBe('Unauthorized');
  });
});
