/*
 * A Velero Backup in the state Velero 1.18 leaves one after a restart that
 * raced its queue: `ReadyToStart`, which Velero's backup controller acts on
 * only when an update makes a backup so, never when it finds one already
 * there. Velero loses that race rarely and at random (a schedule due the
 * moment it starts), so the story makes the state directly: created
 * `ReadyToStart` (Velero's Backup has no status subresource), the real
 * Velero ignores it exactly as it ignores one its queue left behind.
 */
import { applyList, sleepingPod, waitForPodReady } from './fullLab';

/** A namespace with one pod, and a Backup of it that Velero never starts. */
export function stallBackup(namespace: string): string {
  const backup = `${namespace}-stalled`;
  applyList([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    sleepingPod(namespace),
  ]);
  waitForPodReady(namespace, 'app');
  applyList([
    {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name: backup, namespace: 'velero' },
      spec: {
        includedNamespaces: [namespace],
        storageLocation: 'default',
        ttl: '1h0m0s',
      },
      // Only this namespace: an earlier ready backup holds back the queued
      // ones whose namespaces overlap with its own.
      status: { phase: 'ReadyToStart' },
    },
  ]);
  return backup;
}
