import { PLAN } from './manifests';
import { LOCALPV_DEPLOYMENT } from './openebs';

// PromQL shared by the alerts (monitoring.ts) and the dashboard
// (platformDashboard.ts), so that a panel shows what its alert fires on.

/** Keeps the series of claims of the platform's OpenEBS classes. */
export const OF_OPENEBS_CLAIMS = `and on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_info{storageclass=~"${[
  PLAN.storageClasses.hostpath,
  PLAN.storageClasses.device,
].join('|')}"}`;
export const PENDING_OPENEBS_CLAIMS = `kube_persistentvolumeclaim_status_phase{phase="Pending"} == 1 ${OF_OPENEBS_CLAIMS}`;
export const VOLUME_FREE_RATIO =
  'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes';
export const LOCALPV_READY_REPLICAS = `kube_deployment_status_replicas_ready{namespace="kube-system", deployment="${LOCALPV_DEPLOYMENT}"}`;
export const SECONDS_SINCE_SCHEDULED_BACKUP =
  'time() - velero_backup_last_successful_timestamp{schedule!=""}';
