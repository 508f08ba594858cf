import { ComponentType, PropsWithChildren } from 'react';
import Typography from '@material-ui/core/Typography';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import {
  InPlaceRestore,
  InPlaceStep,
  InPlaceStepName,
} from '@openebs-portal/plugin-openebs-storage-common';
import { StatusText } from '../StatusText';

const stepLabels: Record<InPlaceStepName, string> = {
  'stop-workloads': 'Stop the workloads',
  'remove-claims': 'Remove the claims',
  restore: 'Restore with Velero',
  'remove-restore-pods': 'Remove the restore pods',
  'start-workloads': 'Start the workloads',
};

const stepIcons: Record<
  InPlaceStep['state'],
  ComponentType<PropsWithChildren<{}>>
> = {
  pending: StatusPending,
  running: StatusRunning,
  done: StatusOK,
  failed: StatusError,
};

const stateWords: Record<InPlaceStep['state'], string> = {
  pending: 'to do',
  running: 'running',
  done: 'done',
  failed: 'failed',
};

/** A step the portal leads: an in-place restore's or a migration's. */
export interface LedStep {
  name: string;
  state: InPlaceStep['state'];
  detail: string;
}

/**
 * Steps the portal leads, each with its state and what it does (or why it
 * failed), in order; `labels` names each step.
 */
export function StepList(props: {
  steps: LedStep[];
  labels: Record<string, string>;
  'aria-label': string;
}) {
  const { steps, labels } = props;
  return (
    <ol
      aria-label={props['aria-label']}
      style={{ margin: '4px 0 0', paddingLeft: 0, listStyle: 'none' }}
    >
      {steps.map(step => (
        <li
          key={step.name}
          aria-label={`${labels[step.name]}: ${stateWords[step.state]}`}
        >
          <StatusText icon={stepIcons[step.state]} nowrap>
            <Typography variant="caption">
              {labels[step.name]} ({stateWords[step.state]})
            </Typography>
          </StatusText>
          {step.state !== 'done' && (
            <Typography
              variant="caption"
              component="div"
              color={step.state === 'failed' ? 'error' : 'textSecondary'}
            >
              {step.detail}
            </Typography>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The steps the portal leads for an in-place restore. */
export function InPlaceSteps(props: { inPlace: InPlaceRestore }) {
  return (
    <StepList
      steps={props.inPlace.steps}
      labels={stepLabels}
      aria-label="In-place restore steps"
    />
  );
}
