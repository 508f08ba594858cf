import { useContext, useState } from 'react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  VolumeBackup,
  VolumeStatus,
  openebsStorageRestoreCreatePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { RestoreActions, RestoreContext } from './RestoreContext';
import { RestoreDialog } from './RestoreDialog';
import {
  backupProblem,
  createPermissionProblem,
  restoreCandidates,
  storageLocationProblem,
} from './restoreRules';

/** Props of {@link RestoreButton}. */
export interface RestoreButtonProps {
  volume: VolumeStatus;
  backup: VolumeBackup;
}

/**
 * "Restore…" on a backup of a volume: opens the {@link RestoreDialog}, or,
 * when a restore cannot be requested, is disabled with a tooltip saying why
 * (missing permission, backup not finished or failed, storage location
 * unavailable). Renders nothing outside a {@link RestoreContext}.
 */
export function RestoreButton(props: RestoreButtonProps) {
  const actions = useContext(RestoreContext);
  if (!actions) {
    return null;
  }
  return <RestoreButtonInContext {...props} actions={actions} />;
}

function RestoreButtonInContext(
  props: RestoreButtonProps & { actions: RestoreActions },
) {
  const { volume, backup, actions } = props;
  const entityRef = stringifyEntityRef(actions.entityRef);
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: openebsStorageRestoreCreatePermission,
    resourceRef: entityRef,
  });
  const cluster = actions.clusters.find(c => c.cluster === volume.cluster);

  const reasons = [
    !permission.loading && !permission.allowed
      ? createPermissionProblem(entityRef)
      : undefined,
    backupProblem(volume, backup),
    storageLocationProblem(backup, cluster),
  ].filter((reason): reason is string => Boolean(reason));

  const reason = reasons.join(' ');
  const reasonId = `openebs-restore-reason-${volume.cluster}-${volume.uid}-${backup.backupName}`;
  const button = (
    <Button
      size="small"
      variant="outlined"
      disabled={permission.loading || reasons.length > 0}
      onClick={() => setOpen(true)}
      aria-describedby={reason ? reasonId : undefined}
    >
      Restore…
    </Button>
  );

  return (
    <>
      {reason ? (
        <>
          {/* A disabled button receives no pointer events: the tooltip
              hangs on a wrapper. Keyboard and screen reader users get the
              reason as the button's description. */}
          <Tooltip title={reason}>
            <span>{button}</span>
          </Tooltip>
          <Typography variant="srOnly" id={reasonId}>
            {reason}
          </Typography>
        </>
      ) : (
        button
      )}
      {open && (
        <RestoreDialog
          entityRef={actions.entityRef}
          backup={backup}
          candidates={restoreCandidates(volume, backup, cluster)}
          cluster={cluster}
          onClose={() => setOpen(false)}
          onRequested={request => {
            setOpen(false);
            actions.onRequested(request);
          }}
        />
      )}
    </>
  );
}
