/*
 * Prints the Velero Restore the portal's backend would create, built by the
 * backend's own buildRestoreManifest, so the proof restores with exactly the
 * product's Restore shape (not a hand-written one).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs lab/proof/restoreManifest.ts \
 *     NAME BACKUP SOURCE_NS TARGET_NS MODE SELECTOR VOLUME...
 *
 * MODE: new-namespace | in-place. SELECTOR: a label selector string, as in
 * the entity's backstage.io/kubernetes-label-selector annotation.
 */
import { RestoreMode } from '@openebs-portal/plugin-openebs-storage-common';
import { buildLabRestoreManifest } from '@openebs-portal/plugin-openebs-storage-backend/testUtils';
const [
  name,
  backupName,
  sourceNamespace,
  targetNamespace,
  mode,
  selector,
  ...volumes
] = process.argv.slice(2);
if (!selector || (mode !== 'new-namespace' && mode !== 'in-place')) {
  process.stderr.write(
    'usage: restoreManifest.ts NAME BACKUP SOURCE_NS TARGET_NS new-namespace|in-place SELECTOR VOLUME...\n',
  );
  process.exit(2);
}
const manifest = buildLabRestoreManifest({
  restoreName: name,
  backupName,
  sourceNamespace,
  targetNamespace,
  mode: mode as RestoreMode,
  labelSelector: selector,
  volumes,
});
process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
