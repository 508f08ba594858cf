import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InPlaceRestore,
  InPlaceStep,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { RestoreRecord } from '../kubernetes/records';
import { veleroLabelValue } from '../kubernetes/velero';
import { nodeAlive } from '../storage/nodeHealth';
import {
  createConfigMap,
  deleteClaim,
  deletePod,
  deleteVolume,
  setConfigMapOwner,
} from '../kubernetes/workloadActions';
import {
  podsMountingClaims,
  startWorkloads,
  stopWorkloads,
  StepOutcome,
} from '../kubernetes/workloadScaling';
import { createRestore, RestoreManifest } from './createRestore';
import { buildRestorePodModifier, RESTORE_POD_LABEL } from './restoreManifest';
import { RestoreProgressUpdate, RestoreStore } from './RestoreStore';

/** How long a step other than Velero's restore may wait for the cluster. */
const STEP_TIMEOUT_MS = 10 * 60_000;

const claimNames = (inPlace: InPlaceRestore) => inPlace.claims.map(c => c.name);

/** What a step found on this pass (the restore step: Velero's progress too). */
type Outcome =
  | (StepOutcome & { restore?: undefined })
  | (StepOutcome & { restore: RestoreProgressUpdate });

/** Where a failed step leaves things, and what the admin can do. */
const AFTER_FAILURE: Record<InPlaceStep['name'], string> = {
  'stop-workloads':
    'Nothing was deleted. The workloads may be at 0 replicas: their replicas before are recorded in the request.',
  'remove-claims':
    'The workloads stay at 0 replicas: started now, they would get new, empty claims. Request the in-place restore again, or restore into a new namespace.',
  restore:
    'The workloads stay at 0 replicas: started now, they would get new, empty claims. Request the in-place restore again (from this or another backup), or restore into a new namespace.',
  'remove-restore-pods':
    'The data is back; delete the pods labelled openebs-portal.dev/restore-pod, then scale the workloads back to their recorded replicas.',
  'start-workloads':
    'The data is back; scale the workloads back to their recorded replicas and see why their pods do not become Ready.',
};

export interface InPlaceRunnerOptions {
  store: RestoreStore;
  veleroNamespace: string;
  logger: LoggerService;
  now: () => Date;
}

/**
 * Leads an in-place restore through its steps (inPlaceSteps.ts), one pass
 * of the restore tracker at a time: each pass runs the first unfinished
 * step, which either finishes or says what it waits for. Every step is safe
 * to run again, so a pass interrupted by a restart repeats, never skips. A
 * step that fails, or waits past its limit, ends the request with the
 * reason and what it leaves behind; the later steps do not run.
 */
export class InPlaceRunner {
  constructor(private readonly options: InPlaceRunnerOptions) {}

  async advance(
    request: RestoreRequest,
    cache: ClusterCache,
    restoreProgress: (restore: RestoreRecord) => RestoreProgressUpdate,
  ): Promise<RestoreProgressUpdate | undefined> {
    const inPlace: InPlaceRestore = structuredClone(request.inPlace!);
    const first = inPlace.steps.find(s => s.state !== 'done');
    if (first?.state === 'failed') return undefined;
    let update: RestoreProgressUpdate = { ...carried(request), inPlace };
    // A step that finishes hands over to the next in the same pass; the
    // pass ends at the first step that waits (or fails).
    for (;;) {
      const step = inPlace.steps.find(s => s.state !== 'done');
      if (!step) return { ...update, state: 'completed' };
      const now = this.options.now();
      if (step.state === 'pending') {
        step.state = 'running';
        step.startedAt = now.toISOString();
      }
      try {
        const outcome = await this.run(
          step,
          request,
          inPlace,
          cache,
          restoreProgress,
        );
        if (outcome.restore) update = { ...outcome.restore, inPlace };
        update.state = 'in-progress';
        if (outcome.done) {
          step.state = 'done';
          step.endedAt = now.toISOString();
          continue;
        }
        const waited = now.getTime() - Date.parse(step.startedAt!);
        if (step.name !== 'restore' && waited > STEP_TIMEOUT_MS) {
          throw new Error(
            `still waiting after ${Math.round(waited / 60_000)} min for ${
              outcome.waitingFor
            }`,
          );
        }
        return update;
      } catch (error: any) {
        return this.failed(request, step, update, error, now);
      }
    }
  }

  private failed(
    request: RestoreRequest,
    step: InPlaceStep,
    update: RestoreProgressUpdate,
    error: any,
    now: Date,
  ): RestoreProgressUpdate {
    const progress: RestoreProgressUpdate = error.progress
      ? { ...error.progress, inPlace: update.inPlace }
      : update;
    step.state = 'failed';
    step.endedAt = now.toISOString();
    const reason = `Step ${step.name} failed: ${error.message}. ${
      AFTER_FAILURE[step.name]
    }`;
    this.options.logger.warn(reason, {
      requestId: request.id,
      restoreName: request.restoreName,
    });
    return {
      ...progress,
      state: progress.state === 'partially-failed' ? progress.state : 'failed',
      failureReason: reason,
    };
  }

  private run(
    step: InPlaceStep,
    request: RestoreRequest,
    inPlace: InPlaceRestore,
    cache: ClusterCache,
    restoreProgress: (restore: RestoreRecord) => RestoreProgressUpdate,
  ): Promise<Outcome> {
    switch (step.name) {
      case 'stop-workloads':
        return stopWorkloads(
          cache,
          request.sourceNamespace,
          inPlace.workloads,
          claimNames(inPlace),
        );
      case 'remove-claims':
        return this.removeClaims(request, inPlace, cache);
      case 'restore':
        return this.restore(request, cache, restoreProgress);
      case 'remove-restore-pods':
        return this.removeRestorePods(request, cache);
      default:
        return startWorkloads(
          cache,
          request.sourceNamespace,
          inPlace.workloads,
        );
    }
  }

  private async removeClaims(
    request: RestoreRequest,
    inPlace: InPlaceRestore,
    cache: ClusterCache,
  ): Promise<Outcome> {
    const namespace = request.sourceNamespace;
    const mounting = podsMountingClaims(cache, namespace, claimNames(inPlace));
    if (mounting.length > 0) {
      throw new Error(
        `pod(s) ${mounting
          .map(p => p.name)
          .join(
            ', ',
          )} mount the claims again: something started the workload (a GitOps reconcile of its replicas, an autoscaler?); nothing was deleted`,
      );
    }
    const { claims, volumes } = cache.reflectors;
    const present = inPlace.claims.flatMap(planned =>
      claims.store
        .byIndex('name', `${namespace}/${planned.name}`)
        .map(claim => ({ planned, claim })),
    );
    // All checked before any is deleted: a refusal deletes nothing.
    const recreated = present.filter(
      ({ planned, claim }) => planned.uid !== claim.uid,
    );
    if (recreated.length > 0) {
      throw new Error(
        `claim(s) ${recreated
          .map(({ claim }) => claim.name)
          .join(
            ', ',
          )} were created again since the request was checked; nothing was deleted`,
      );
    }
    for (const { planned, claim } of present) {
      await deleteClaim(cache.kubeConfig, namespace, planned.name, claim.uid);
      // A dead node's provisioner helper can never clean the directory, so
      // its volume would stay Released forever. A live node's volume is
      // the provisioner's to remove (its reclaim policy).
      const [volume] = claim.volumeName
        ? volumes.store.byIndex('name', claim.volumeName)
        : [];
      if (volume && !nodeAlive(cache, volume.node)) {
        await deleteVolume(cache.kubeConfig, volume.name);
      }
    }
    return {
      done: present.length === 0,
      waitingFor: 'the claims to be deleted',
    };
  }

  private async restore(
    request: RestoreRequest,
    cache: ClusterCache,
    restoreProgress: (restore: RestoreRecord) => RestoreProgressUpdate,
  ): Promise<Outcome> {
    const [restore] = cache.reflectors.restores.store.byIndex(
      'name',
      request.restoreName,
    );
    if (!restore) {
      await this.createRestoreWithModifier(request, cache);
      return { done: false, waitingFor: 'Velero to take the Restore' };
    }
    const progress = restoreProgress(restore);
    if (progress.state === 'completed')
      return { done: true, restore: progress };
    if (progress.state === 'in-progress') {
      return { done: false, restore: progress };
    }
    throw Object.assign(
      new Error(
        `Velero ended the restore ${restore.phase}${
          progress.failureReason ? ` (${progress.failureReason})` : ''
        }`,
      ),
      { progress },
    );
  }

  private async createRestoreWithModifier(
    request: RestoreRequest,
    cache: ClusterCache,
  ): Promise<void> {
    const { veleroNamespace, logger, store } = this.options;
    const manifest = (await store.restoreManifest(request.id)) as
      | RestoreManifest
      | undefined;
    if (!manifest) {
      throw new Error('the request has no recorded Restore to create');
    }
    // Velero reads the modifier when it starts the restore: it exists first.
    await createConfigMap(
      cache.kubeConfig,
      buildRestorePodModifier({
        restoreName: request.restoreName,
        veleroNamespace,
        namespace: request.sourceNamespace,
        requestId: request.requestId,
      }),
    );
    const uid = await createRestore(
      cache,
      veleroNamespace,
      logger,
      request,
      manifest,
    );
    // Deleted with its Restore by the garbage collector.
    await setConfigMapOwner(
      cache.kubeConfig,
      veleroNamespace,
      request.restoreName,
      {
        apiVersion: 'velero.io/v1',
        kind: 'Restore',
        name: request.restoreName,
        uid,
      },
    );
  }

  private async removeRestorePods(
    request: RestoreRequest,
    cache: ClusterCache,
  ): Promise<Outcome> {
    const label = veleroLabelValue(request.restoreName);
    const restorePods = cache.reflectors.pods.store
      .byIndex('namespace', request.sourceNamespace)
      .filter(pod => pod.labels[RESTORE_POD_LABEL] === label);
    for (const pod of restorePods) {
      if (!pod.terminating) {
        await deletePod(cache.kubeConfig, pod.namespace, pod.name, false);
      }
    }
    return {
      done: restorePods.length === 0,
      waitingFor: `the restore pods to go: ${restorePods
        .map(p => p.name)
        .join(', ')}`,
    };
  }
}

/** The fields an update keeps from the request when Velero is not involved. */
function carried(request: RestoreRequest): RestoreProgressUpdate {
  return {
    state: request.state,
    phase: request.phase,
    warnings: request.warnings,
    errors: request.errors,
    startedAt: request.startedAt,
    completedAt: request.completedAt,
    failureReason: request.failureReason,
    volumeProgress: request.volumeProgress,
  };
}
