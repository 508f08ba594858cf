import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError, ResponseError } from '@backstage/errors';

/** The storage backend's plugin id. */
const STORAGE_PLUGIN = 'openebs-storage';

export interface StorageBackendOptions {
  discovery: DiscoveryService;
  auth: AuthService;
}

/** A template's entity reference, or an InputError naming the input. */
export function entityOf(entityRef: string): CompoundEntityRef {
  try {
    return parseEntityRef(entityRef);
  } catch (error) {
    throw new InputError(`entityRef: ${(error as Error).message}`);
  }
}

/**
 * A GET of the storage backend on behalf of the user who runs the
 * template: the backend's permission and tenancy checks decide exactly as
 * they do on the Storage tab. A refusal is passed on in the backend's own
 * words (which permission, whose Cluster), prefixed with what was asked.
 */
export async function askStorageBackend<T>(
  { discovery, auth }: StorageBackendOptions,
  credentials: BackstageCredentials,
  path: string,
  what: string,
): Promise<T> {
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: STORAGE_PLUGIN,
  });
  const url = `${await discovery.getBaseUrl(STORAGE_PLUGIN)}${path}`;
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    const error = await ResponseError.fromResponse(response);
    throw new InputError(
      `${what} (${response.status} ${error.cause.name}): ${error.cause.message}`,
      error,
    );
  }
  return (await response.json()) as T;
}
