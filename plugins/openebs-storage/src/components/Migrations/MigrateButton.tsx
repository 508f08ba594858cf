import { useContext, useState } from 'react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ACTIVE_MIGRATION_STATES,
  VolumeStatus,
  openebsStorageMigratePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { MigrateDialog } from './MigrateDialog';
import { MigrationActions, MigrationContext } from './MigrationContext';

/**
 * "Migrate to OpenEBS…" on a volume whose class is not OpenEBS: opens the
 * {@link MigrateDialog}, or is disabled and says why (a CloudNativePG
 * cluster's volume, permission missing, no OpenEBS class in the cluster, a
 * migration of the claim under way).
 * Nothing for an OpenEBS or deleted volume, or outside a
 * {@link MigrationContext}.
 */
export function MigrateButton(props: { volume: VolumeStatus }) {
  const actions = useContext(MigrationContext);
  const { volume } = props;
  if (!actions || volume.engine !== 'other' || volume.phase === 'Deleted') {
    return null;
  }
  return <MigrateButtonInContext volume={volume} actions={actions} />;
}

function MigrateButtonInContext(props: {
  volume: VolumeStatus;
  actions: MigrationActions;
}) {
  const { volume, actions } = props;
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: openebsStorageMigratePermission,
    resourceRef: stringifyEntityRef(actions.entityRef),
  });
  const cluster = actions.clusters.find(c => c.cluster === volume.cluster);
  const targets = cluster?.migrationTargets ?? [];
  const database = cluster?.databases?.find(
    d => d.namespace === volume.namespace && d.claims.includes(volume.name),
  );
  const active = actions.migrations.find(
    m =>
      m.cluster === volume.cluster &&
      m.namespace === volume.namespace &&
      m.claim === volume.name &&
      ACTIVE_MIGRATION_STATES.includes(m.state),
  );
  let reason: string | undefined;
  if (database) {
    reason = `A volume of CloudNativePG cluster ${database.name}: it moves with the cluster's migration plan (PostgreSQL clusters), not by itself`;
  } else if (!permission.loading && !permission.allowed) {
    reason = `Migrating needs the ${openebsStorageMigratePermission.name} permission for this entity`;
  } else if (targets.length === 0) {
    reason = `Cluster ${volume.cluster} has no OpenEBS LocalPV hostpath class`;
  } else if (active) {
    reason = `A migration of this claim is ${active.state} (see Migrations)`;
  }
  const button = (
    <Button
      size="small"
      variant="outlined"
      disabled={permission.loading || Boolean(reason)}
      onClick={() => setOpen(true)}
      aria-label={`Migrate ${volume.namespace}/${volume.name} to OpenEBS`}
      style={{ whiteSpace: 'nowrap', marginTop: 4 }}
    >
      Migrate to OpenEBS…
    </Button>
  );
  return (
    <>
      {reason ? (
        <Tooltip title={reason}>
          <span>
            {button}
            <Typography variant="srOnly">{reason}</Typography>
          </span>
        </Tooltip>
      ) : (
        button
      )}
      {open && (
        <MigrateDialog
          entityRef={actions.entityRef}
          volume={volume}
          targets={targets}
          onClose={() => setOpen(false)}
          onRequested={migration => {
            setOpen(false);
            actions.onRequested(migration);
          }}
        />
      )}
    </>
  );
}
