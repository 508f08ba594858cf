import {
  MigrationStep,
  MigrationStepName,
  VolumeMigration,
} from '@openebs-portal/plugin-openebs-storage-common';

/** The steps of a migration, then of its rollback (see MigrationStepName). */
export const MIGRATION_STEPS: MigrationStepName[] = [
  'stop-workloads',
  'copy',
  'swap-claim',
  'start-workloads',
];
export const ROLLBACK_STEPS: MigrationStepName[] = [
  'stop-workloads',
  'swap-back',
  'verify-source',
  'start-workloads',
];

type Described = Pick<
  VolumeMigration,
  'claim' | 'workloads' | 'targetClass' | 'source' | 'node'
>;

const workloadList = (m: Described) =>
  m.workloads.map(w => `${w.kind}/${w.name}`).join(', ') || 'none';

/** What each step does, as the tab shows it before it runs. */
function describe(name: MigrationStepName, m: Described): string {
  switch (name) {
    case 'stop-workloads':
      return `Scale ${workloadList(m)} to 0 and wait until no pod mounts ${
        m.claim
      }`;
    case 'copy':
      return `Create a claim on ${m.targetClass}, copy ${m.claim} into it${
        m.node ? ` on ${m.node}` : ''
      }, and compare the checksummed manifests of both`;
    case 'swap-claim':
      return `Keep both volumes (reclaim policy Retain) and bind ${m.claim} to the new one`;
    case 'swap-back':
      return `Bind ${m.claim} to its old volume ${m.source.name} again (the new volume is kept, Released)`;
    case 'verify-source':
      return `Check that the old volume's manifest still equals the one recorded at the copy`;
    default:
      return `Scale ${workloadList(
        m,
      )} back and wait until their pods are Ready`;
  }
}

export function stepsOf(
  names: MigrationStepName[],
  migration: Described,
): MigrationStep[] {
  return names.map(name => ({
    name,
    state: 'pending',
    detail: describe(name, migration),
  }));
}

/** Where a failed step leaves things, and what can be done. */
export const AFTER_FAILURE: Record<MigrationStepName, string> = {
  'stop-workloads':
    'Nothing was changed but the replicas; the workloads may be at 0: their replicas before are recorded in the request.',
  copy: 'The old claim and its data are untouched; the workloads stay at 0 replicas. Scale them back to their recorded replicas to run on the old volume, and delete the claim and pod labelled openebs-portal.dev/migration.',
  'swap-claim':
    'Both volumes are kept (Retain). Bind the claim to the old volume again by hand (the volume migration runbook) before scaling the workloads back.',
  'start-workloads':
    'The claim is bound as the step before left it, and both volumes are kept. See why the pods do not become Ready; after a migration, a rollback is still offered.',
  'swap-back':
    'Both volumes are kept (Retain). Bind the claim to the old volume by hand (runbook) before scaling the workloads back.',
  'verify-source':
    'The claim is on the old volume again, but its data differs from the copy: the workloads stay at 0. Compare the volumes by hand (runbook); the new volume is kept.',
};
