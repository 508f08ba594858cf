import { mockServices } from '@backstage/backend-test-utils';
import {
  InPlaceStep,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';
import { fixtures } from '@openebs-portal/lab-testkit';
import { memoryCluster } from '../__testUtils__/memoryCluster';
import { InPlaceRunner } from './InPlaceRunner';
import { IN_PLACE_STEPS } from './inPlaceSteps';
import { RestoreStore } from './RestoreStore';

/*
 * The runner's own decisions, without a cluster: when a request is done,
 * when it stays failed, and when a step has waited too long. Its calls to
 * the API server are the lab tests' subject (restoreInPlace.lab.test.ts).
 */

const STARTED = '2026-12-02T10:00:00Z';

function requestWith(states: Array<InPlaceStep['state']>): RestoreRequest {
  return {
    id: 'req-1',
    requestId: '00000000-0000-4000-8000-000000000001',
    entityRef: 'component:default/shop',
    cluster: 'lab',
    backupName: 'nightly',
    mode: 'in-place',
    sourceNamespace: 'shop',
    targetNamespace: 'shop',
    volumes: ['data-db-0'],
    requestedBy: 'user:default/ops',
    requestedAt: STARTED,
    restoreName: 'shop-restore-0123456789',
    state: 'in-progress',
    volumeProgress: [],
    inPlace: {
      // No workload to scale: the runner asks the API server nothing.
      workloads: [],
      claims: [{ name: 'data-db-0', uid: 'uid-data-db-0' }],
      steps: IN_PLACE_STEPS.map((name, i) => ({
        name,
        state: states[i],
        detail: name,
        ...(states[i] !== 'pending' && { startedAt: STARTED }),
      })),
    },
  };
}

function runner(minutesAfterStart: number) {
  return new InPlaceRunner({
    store: {} as RestoreStore,
    veleroNamespace: 'velero',
    logger: mockServices.logger.mock(),
    now: () => new Date(Date.parse(STARTED) + minutesAfterStart * 60_000),
  });
}

const noProgress = () => {
  throw new Error('no Restore is read in these cases');
};

describe('InPlaceRunner.advance', () => {
  it('completes a request whose steps are all done', async () => {
    const { cache } = memoryCluster();
    const update = await runner(1).advance(
      requestWith(Array(5).fill('done')),
      cache,
      noProgress,
    );
    expect(update?.state).toBe('completed');
  });

  it('leaves a request with a failed step alone', async () => {
    const { cache } = memoryCluster();
    expect(
      await runner(1).advance(
        requestWith(['done', 'failed', 'pending', 'pending', 'pending']),
        cache,
        noProgress,
      ),
    ).toBeUndefined();
  });

  it('waits for a pod to stop, then fails the step after 10 minutes', async () => {
    const { cache } = memoryCluster([
      fixtures.node('lab-node-1'),
      fixtures.pod({
        namespace: 'shop',
        name: 'db-0',
        claims: ['data-db-0'],
        nodeName: 'lab-node-1',
      }),
    ]);
    const request = requestWith(Array(5).fill('pending'));
    const waiting = await runner(0).advance(request, cache, noProgress);
    expect(waiting?.state).toBe('in-progress');
    expect(waiting?.inPlace?.steps[0]).toMatchObject({
      state: 'running',
      startedAt: new Date(STARTED).toISOString(),
    });

    const late = await runner(11).advance(
      { ...request, inPlace: waiting!.inPlace },
      cache,
      noProgress,
    );
    expect(late).toMatchObject({
      state: 'failed',
      failureReason: expect.stringContaining(
        'Step stop-workloads failed: still waiting after 11 min for pods to stop: db-0. Nothing was deleted.',
      ),
    });
    expect(late?.inPlace?.steps.map(s => s.state)).toEqual([
      'failed',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
  });
});
