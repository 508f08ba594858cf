/*
 * The lab test kit: what the backend's tests, the dev seed, the benchmark and
 * the end-to-end story share to work against the lab (lab/scripts/up.sh).
 */
import * as fixtures from './storageFixtures';

export { applyBackedUpWorkload } from './backedUpWorkload';
export type { BackedUpWorkloadOptions } from './backedUpWorkload';
export { parseEnvFile, readEnvFile } from './envFile';
export {
  collectionPath,
  KubernetesError,
  LabAdmin,
  labCluster,
  labEnvFile,
  REPO_ROOT,
} from './labCluster';
export type { LabAdminOptions, LabCluster } from './labCluster';
/** Manifests of what OpenEBS, the CSI snapshotter and Velero create. */
export { fixtures };
