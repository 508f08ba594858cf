import { useContext, useState } from 'react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  VolumeBackup,
  VolumeStatus,
  openebsStorageRestoreAdminPermission,
  openebsStorageRestoreCreatePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { RestoreActions, RestoreContext } from './RestoreContext';
import { RestoreDialog } from './RestoreDialog';
import {
  backupProblem,
  backupStorageLocation,
  createPermissionProblem,
  ownerProblem,
  restoreCandidates,
  storageLocationProblem,
} from './restoreRules';

const useStyles = makeStyles({
  // "Restore…" on one line, its ellipsis included.
  button: { whiteSpace: 'nowrap' },
  // Why the button is disabled, in a word or two, under it.
  caption: { display: 'block', maxWidth: 160, whiteSpace: 'normal' },
});

/** Phases of a Backup as a whole from which Velero restores. */
const RESTORABLE_BACKUP_PHASES = ['Completed', 'PartiallyFailed'];

/** Props of {@link RestoreButton}. */
export interface RestoreButtonProps {
  volume: VolumeStatus;
  backup: VolumeBackup;
}

/**
 * "Restore…" on a backup of a volume: opens the {@link RestoreDialog}, or,
 * when a restore cannot be requested, is disabled and says why (missing
 * permission, namespace owner not recorded and the user no platform admin,
 * backup not finished or failed, storage location unavailable):
 * briefly under the button, in full in its tooltip and as its accessible
 * description. Renders nothing outside a {@link RestoreContext}.
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
  // Only platform admins restore from a namespace without a recorded owner.
  const unowned = volume.namespaceOwner === undefined;
  const admin = usePermission({
    permission: openebsStorageRestoreAdminPermission,
  });
  const cluster = actions.clusters.find(c => c.cluster === volume.cluster);

  const classes = useStyles();
  const location = backupStorageLocation(backup, cluster);

  // Each problem in full (tooltip, description) and in brief (caption).
  const problems: Array<[reason: string | undefined, brief: string]> = [
    [
      !permission.loading && !permission.allowed
        ? createPermissionProblem(entityRef)
        : undefined,
      'permission missing',
    ],
    [
      unowned && !admin.loading && !admin.allowed
        ? ownerProblem(volume)
        : undefined,
      'owner not recorded',
    ],
    [
      backupProblem(volume, backup),
      backup.backupPhase &&
      !RESTORABLE_BACKUP_PHASES.includes(backup.backupPhase)
        ? `backup ${backup.backupPhase}`
        : `copy ${backup.phase}`,
    ],
    [
      storageLocationProblem(backup, cluster),
      `location ${location?.name} unavailable`,
    ],
  ];
  const found = problems.filter(([problem]) => Boolean(problem));
  const reason = found.map(([problem]) => problem).join(' ');
  const brief = found.map(([, short]) => short).join(' · ');
  const reasonId = `openebs-restore-reason-${volume.cluster}-${volume.uid}-${backup.backupName}`;
  const button = (
    <Button
      size="small"
      variant="outlined"
      className={classes.button}
      disabled={
        permission.loading || (unowned && admin.loading) || found.length > 0
      }
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
          {/* Seen at a glance, without hovering; read out in full below. */}
          <Typography
            variant="caption"
            color="textSecondary"
            className={classes.caption}
            aria-hidden
          >
            {brief}
          </Typography>
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
