import { ComponentType, PropsWithChildren } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import {
  Health,
  ProtectionStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { StatusText } from '../StatusText';

const presentation: Record<
  ProtectionStatus,
  { label: string; Icon: ComponentType<PropsWithChildren<{}>> }
> = {
  protected: { label: 'Protected', Icon: StatusOK },
  'at-risk': { label: 'At risk', Icon: StatusWarning },
  unprotected: { label: 'Unprotected', Icon: StatusError },
  unknown: { label: 'Unknown', Icon: StatusAborted },
};

/** The human label of a protection status, e.g. `At risk`. */
export function protectionStatusLabel(status: ProtectionStatus): string {
  return presentation[status].label;
}

/** Props of {@link HealthChip}. */
export interface HealthChipProps {
  health: Health;
  /** Print the reason beside the chip instead of only in its tooltip. */
  showReason?: boolean;
}

/**
 * A protection status as a chip coloured by status (green protected, orange
 * at risk, red unprotected, grey unknown), with the reason a developer can
 * act on.
 */
export function HealthChip(props: HealthChipProps) {
  const { health, showReason = false } = props;
  const { label, Icon } = presentation[health.status];
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
      <Chip
        size="small"
        variant="outlined"
        title={health.reason}
        label={<StatusText icon={Icon}>{label}</StatusText>}
      />
      {showReason && (
        <Typography variant="body2" component="span">
          {health.reason}
        </Typography>
      )}
    </Box>
  );
}
