import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  InPlaceWorkload,
  VolumeMigrationInput,
} from '@openebs-portal/plugin-openebs-storage-common';
import { TenancyConfig } from '../config';
import { CNPG_CLUSTER_LABEL } from '../databases/cnpgClusters';
import { EntityObjectSelection } from '../entities/entityObjectSelection';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { workloadsOf } from '../kubernetes/workloadActions';
import { controllersToScale } from '../restore/inPlacePlan';
import { findEntityClaims, podsMounting } from '../storage/EntityVolumes';
import { nodeAlive } from '../storage/nodeHealth';
import { storageEngineOf } from '../storage/storageEngine';
import { NamespaceOwnership } from '../tenancy/NamespaceOwnership';
import {
  checkEntityCluster,
  checkNamespaceAccess,
  Requester,
} from '../tenancy/namespaceAccess';
import { LiveClaim, LiveVolume, readClaim, readVolume } from './claimSwap';

export interface MigrationPlanContext {
  entity: Entity;
  entityRef: string;
  selection: EntityObjectSelection;
  cache: ClusterCache;
  input: VolumeMigrationInput;
  requester: Requester;
}

/** What a migration acts on, checked against the caches and the API. */
export interface MigrationPlan {
  claim: LiveClaim;
  volume: LiveVolume;
  workloads: InPlaceWorkload[];
}

/**
 * Decides whether a claim may move onto an OpenEBS class: the namespace is
 * the entity's and recorded as its owner's (the annotations only narrow),
 * the claim is the entity's, bound, on a class that is not OpenEBS, on a
 * live node, used only by workloads the portal can stop, not one of a
 * CloudNativePG cluster's; the target class
 * is an OpenEBS LocalPV hostpath class of the cluster. Reads, never writes.
 */
export async function planMigration(
  context: MigrationPlanContext,
  ownership: NamespaceOwnership,
  tenancy: TenancyConfig,
): Promise<MigrationPlan> {
  const { cache, input, selection, entityRef } = context;
  if (!cache.volumesReadable() || !cache.reflectors.namespaces.status.synced) {
    throw new ServiceUnavailableError(
      `The portal has not finished reading cluster ${cache.name}; try again in a minute`,
    );
  }
  checkEntityCluster(selection, input.cluster, entityRef);
  await checkNamespaceAccess(
    { ...context, namespace: input.namespace, action: 'migrate' },
    ownership,
    tenancy,
  );
  const cached = findEntityClaims(cache, selection).claims.find(
    c => c.namespace === input.namespace && c.name === input.claim,
  );
  if (!cached) {
    throw new NotFoundError(
      `${entityRef} has no claim ${input.claim} in namespace ${input.namespace} of cluster ${cache.name}`,
    );
  }
  const postgresCluster = cached.labels[CNPG_CLUSTER_LABEL];
  if (postgresCluster) {
    // The operator would make the old claim again for its instance, or
    // fail it: its claims move with the cluster, by replication.
    throw new NotAllowedError(
      `Claim ${input.claim} is a volume of CloudNativePG cluster ${postgresCluster}, which makes and replaces its claims itself: move the cluster with its migration plan (PostgreSQL clusters on the Storage tab), not the claim`,
    );
  }
  checkTargetClass(cache, input.targetClass);
  if (cached.phase !== 'Bound' || !cached.volumeName) {
    throw new ConflictError(
      `Claim ${input.claim} is ${cached.phase}: only a bound claim has data to move`,
    );
  }
  const engine = storageEngineOf(
    cache.reflectors.storageClasses.store.byIndex(
      'name',
      cached.storageClass ?? '',
    )[0],
  );
  if (engine !== 'other') {
    throw new InputError(
      `Claim ${input.claim} is already on OpenEBS (${cached.storageClass})`,
    );
  }
  const [cachedVolume] = cache.reflectors.volumes.store.byIndex(
    'name',
    cached.volumeName,
  );
  if (cachedVolume?.node && !nodeAlive(cache, cachedVolume.node)) {
    throw new ConflictError(
      `The volume of claim ${input.claim} is on node ${cachedVolume.node}, which is not Ready: its data cannot be read now`,
    );
  }
  const controllers = controllersToScale(
    podsMounting(cache, { namespace: input.namespace, name: input.claim }),
    'Migration refused',
    'ask a platform admin to move the volume by hand',
  );
  // The API's own objects for what is recorded (UID, capacity, labels).
  const claim = await readClaim(cache.kubeConfig, input.namespace, input.claim);
  if (claim.uid !== cached.uid || claim.volumeName !== cached.volumeName) {
    throw new ConflictError(
      `Claim ${input.claim} changed while the request was checked; ask again`,
    );
  }
  const volume = await readVolume(cache.kubeConfig, cached.volumeName);
  const workloads = await workloadsOf(
    cache.kubeConfig,
    input.namespace,
    controllers,
  );
  return { claim, volume, workloads };
}

/** The target is an OpenEBS LocalPV hostpath class the cluster has. */
function checkTargetClass(cache: ClusterCache, name: string) {
  const [storageClass] = cache.reflectors.storageClasses.store.byIndex(
    'name',
    name,
  );
  if (!storageClass) {
    throw new InputError(`Cluster ${cache.name} has no storage class ${name}`);
  }
  if (storageEngineOf(storageClass) !== 'openebs-hostpath') {
    throw new NotAllowedError(
      `Storage class ${name} is not an OpenEBS LocalPV hostpath class (provisioner ${storageClass.provisioner}); migrations move claims onto one`,
    );
  }
}
