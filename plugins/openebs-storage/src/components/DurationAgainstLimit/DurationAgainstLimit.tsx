import Box from '@material-ui/core/Box';
import { StatusWarning } from '@backstage/core-components';
import { formatDuration } from '../format';
import { StatusText } from '../StatusText';

/** Props of {@link DurationAgainstLimit}. */
export interface DurationAgainstLimitProps {
  seconds?: number;
  /** The service level, e.g. 30 s for provisioning or 5 min for a backup. */
  limitSeconds: number;
  /**
   * The backend's verdict, when it gave one; it measured the duration and is
   * the authority. Without it the duration is compared with the limit here.
   */
  withinLimit?: boolean;
}

/** A measured duration, flagged when it exceeds its service level. */
export function DurationAgainstLimit(props: DurationAgainstLimitProps) {
  const { seconds, limitSeconds, withinLimit } = props;
  if (seconds === undefined) {
    return <>—</>;
  }
  const within = withinLimit ?? seconds <= limitSeconds;
  if (within) {
    return (
      <Box component="span" whiteSpace="nowrap">
        {formatDuration(seconds)}
      </Box>
    );
  }
  // The duration and the limit each stay on one line (non-breaking spaces);
  // the line may break only between them.
  const keep = (text: string) => text.replace(/ /g, '\u00a0');
  return (
    <StatusText icon={StatusWarning}>
      <span>
        {`${keep(formatDuration(seconds))} ${keep(
          `(over the ${formatDuration(limitSeconds)} limit)`,
        )}`}
      </span>
    </StatusText>
  );
}
