import { LoggerService } from '@backstage/backend-plugin-api';
import {
  MigrationManifest,
  MigrationStep,
  RUNNING_MIGRATION_STATES,
  VolumeMigration,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { deleteClaim, deletePod } from '../kubernetes/workloadActions';
import {
  podsMountingClaims,
  startWorkloads,
  StepOutcome,
  stopWorkloads,
} from '../kubernetes/workloadScaling';
import {
  createClaim,
  findClaim,
  readVolume,
  reserveVolumeFor,
  setReclaimPolicy,
} from './claimSwap';
import {
  buildCopyPod,
  createPod,
  MIGRATION_LABEL,
  readCopyPod,
} from './copyPod';
import { AFTER_FAILURE } from './migrationSteps';

/** A copy may take hours; waiting on anything else past this is a failure. */
const STEP_TIMEOUT_MS = { copy: 6 * 3600_000, other: 10 * 60_000 };

export interface MigrationRunnerOptions {
  /** The image of the copy and verify pods (needs sh and BusyBox's tools). */
  copyImage: string;
  logger: LoggerService;
  now: () => Date;
}

/**
 * Leads a migration, or its rollback, through its steps, one pass at a
 * time like the in-place restore: each pass runs the first unfinished step,
 * which finishes (and hands over to the next) or says what it waits for.
 * Every step is safe to run again after a restart. A failure ends the
 * request with the reason and what it leaves behind.
 */
export class MigrationRunner {
  constructor(private readonly options: MigrationRunnerOptions) {}

  /** The migration after this pass, or undefined when there is nothing to do. */
  async advance(
    current: VolumeMigration,
    cache: ClusterCache,
  ): Promise<VolumeMigration | undefined> {
    if (!RUNNING_MIGRATION_STATES.includes(current.state)) return undefined;
    const m: VolumeMigration = structuredClone(current);
    const rollingBack = m.state === 'rolling-back';
    const steps = (rollingBack ? m.rollbackSteps : m.steps) ?? [];
    for (;;) {
      const step = steps.find(s => s.state !== 'done');
      const now = this.options.now();
      m.updatedAt = now.toISOString();
      if (!step) {
        const stoppedAt = Date.parse(steps[0].startedAt!);
        const downtime = Math.round((now.getTime() - stoppedAt) / 1000);
        if (rollingBack) m.rollbackDowntimeSeconds = downtime;
        else m.downtimeSeconds = downtime;
        m.state = rollingBack ? 'rolled-back' : 'awaiting-confirmation';
        return m;
      }
      if (step.state === 'failed') return undefined;
      if (step.state === 'pending') {
        step.state = 'running';
        step.startedAt = now.toISOString();
      }
      try {
        const outcome = await this.run(step, m, cache);
        if (outcome.done) {
          step.state = 'done';
          step.endedAt = now.toISOString();
          continue;
        }
        const waited = now.getTime() - Date.parse(step.startedAt!);
        const limit =
          step.name === 'copy' ? STEP_TIMEOUT_MS.copy : STEP_TIMEOUT_MS.other;
        if (waited > limit) {
          throw new Error(
            `still waiting after ${Math.round(waited / 60_000)} min for ${
              outcome.waitingFor
            }`,
          );
        }
        step.detail = outcome.waitingFor
          ? `${step.detail.split(' — waiting for ')[0]} — waiting for ${
              outcome.waitingFor
            }`
          : step.detail;
        return m;
      } catch (error: any) {
        return this.failed(m, step, error, now);
      }
    }
  }

  private failed(
    m: VolumeMigration,
    step: MigrationStep,
    error: any,
    now: Date,
  ): VolumeMigration {
    step.state = 'failed';
    step.endedAt = now.toISOString();
    m.state = 'failed';
    m.failureReason = `Step ${step.name} failed: ${error.message}. ${
      AFTER_FAILURE[step.name]
    }`;
    this.options.logger.warn(m.failureReason, { migrationId: m.id });
    return m;
  }

  private run(
    step: MigrationStep,
    m: VolumeMigration,
    cache: ClusterCache,
  ): Promise<StepOutcome> {
    switch (step.name) {
      case 'stop-workloads':
        return stopWorkloads(cache, m.namespace, m.workloads, [m.claim]);
      case 'copy':
        return this.copy(m, cache);
      case 'swap-claim':
        return this.swapClaim(m, cache);
      case 'swap-back':
        return this.swapBack(m, cache);
      case 'verify-source':
        return this.verifySource(m, cache);
      default:
        return startWorkloads(cache, m.namespace, m.workloads);
    }
  }

  private podName(m: VolumeMigration, role: 'copy' | 'verify') {
    return `openebs-migrate-${m.id.slice(0, 8)}-${role}`;
  }

  private async copy(m: VolumeMigration, cache: ClusterCache) {
    const { kubeConfig } = cache;
    const copyClaim = await findClaim(kubeConfig, m.namespace, m.copyClaim);
    if (!copyClaim) {
      await createClaim(kubeConfig, {
        namespace: m.namespace,
        name: m.copyClaim,
        storageClass: m.targetClass,
        capacity: m.capacity,
        accessModes: m.accessModes,
        labels: { [MIGRATION_LABEL]: m.id },
      });
    }
    const copied = await this.podManifest(m, cache, 'copy');
    if ('done' in copied) return copied;
    m.manifest = copied;
    const filled = await findClaim(kubeConfig, m.namespace, m.copyClaim);
    if (!filled?.volumeName) {
      throw new Error(`the copy claim ${m.copyClaim} has no volume`);
    }
    const volume = await readVolume(kubeConfig, filled.volumeName);
    m.target = {
      name: volume.name,
      storageClass: m.targetClass,
      reclaimPolicy: volume.reclaimPolicy,
    };
    return { done: true };
  }

  /** Replaces the claim by one of the same name bound to the new volume. */
  private async swapClaim(
    m: VolumeMigration,
    cache: ClusterCache,
  ): Promise<StepOutcome> {
    const { kubeConfig } = cache;
    const target = m.target!;
    const removed = await this.removePod(m, cache, 'copy');
    if (!removed.done) return removed;
    // Retain first: deleting the claims below must delete no data.
    await setReclaimPolicy(kubeConfig, m.source.name, 'Retain');
    await setReclaimPolicy(kubeConfig, target.name, 'Retain');
    return this.rebind(m, cache, {
      from: m.source.name,
      to: target.name,
      storageClass: m.targetClass,
      extraClaim: m.copyClaim,
    });
  }

  private swapBack(m: VolumeMigration, cache: ClusterCache) {
    return this.rebind(m, cache, {
      from: m.target!.name,
      to: m.source.name,
      storageClass: m.source.storageClass,
    });
  }

  /**
   * Moves the claim from one volume to the other: the claim bound to
   * `from` deleted (the original only if its UID is unchanged), `to`
   * reserved for the claim's name, the claim created bound to `to`.
   */
  private async rebind(
    m: VolumeMigration,
    cache: ClusterCache,
    swap: {
      from: string;
      to: string;
      storageClass: string;
      extraClaim?: string;
    },
  ): Promise<StepOutcome> {
    const { kubeConfig } = cache;
    const mounting = podsMountingClaims(cache, m.namespace, [m.claim]);
    if (mounting.length > 0) {
      throw new Error(
        `pod(s) ${mounting.map(p => p.name).join(', ')} mount ${
          m.claim
        } again: something started the workload (a GitOps reconcile of its replicas, an autoscaler?)`,
      );
    }
    const claim = await findClaim(kubeConfig, m.namespace, m.claim);
    if (claim && claim.volumeName !== swap.to) {
      if (claim.volumeName !== swap.from) {
        throw new Error(
          `claim ${m.claim} is now bound to ${claim.volumeName}, neither the old nor the new volume; nothing was deleted`,
        );
      }
      const expectedUid = swap.extraClaim ? m.claimUid : claim.uid;
      await deleteClaim(kubeConfig, m.namespace, m.claim, expectedUid);
      return { done: false, waitingFor: `the claim ${m.claim} to be deleted` };
    }
    const extra =
      swap.extraClaim &&
      (await findClaim(kubeConfig, m.namespace, swap.extraClaim));
    if (extra) {
      await deleteClaim(kubeConfig, m.namespace, extra.name, extra.uid);
      return {
        done: false,
        waitingFor: `the copy claim ${extra.name} to be deleted`,
      };
    }
    if (!claim) {
      const volume = await readVolume(kubeConfig, swap.to);
      if (volume.claimRef?.uid || volume.claimRef?.name !== m.claim) {
        await reserveVolumeFor(kubeConfig, swap.to, m.namespace, m.claim);
      }
      await createClaim(kubeConfig, {
        namespace: m.namespace,
        name: m.claim,
        storageClass: swap.storageClass,
        capacity: m.capacity,
        accessModes: m.accessModes,
        labels: m.claimLabels,
        volumeName: swap.to,
      });
      return { done: false, waitingFor: `${m.claim} to bind to ${swap.to}` };
    }
    return {
      done: claim.phase === 'Bound',
      waitingFor: `${m.claim} to bind to ${swap.to} (${claim.phase})`,
    };
  }

  /** The old volume, bound again, still has the manifest of the copy. */
  private async verifySource(
    m: VolumeMigration,
    cache: ClusterCache,
  ): Promise<StepOutcome> {
    if (m.rollbackVerified) return this.removePod(m, cache, 'verify');
    const found = await this.podManifest(m, cache, 'verify');
    if ('done' in found) return found;
    if (found.sha256 !== m.manifest?.sha256) {
      throw new Error(
        `the old volume's manifest (${found.files} files, sha256 ${found.sha256}) differs from the one recorded at the copy (${m.manifest?.files} files, sha256 ${m.manifest?.sha256})`,
      );
    }
    m.rollbackVerified = found;
    return this.removePod(m, cache, 'verify');
  }

  /**
   * Runs the copy pod (old claim into the copy claim) or the verify pod
   * (old claim only) to its end: the manifest it proved, or what it waits
   * for. A pod that failed fails the step with what it said.
   */
  private async podManifest(
    m: VolumeMigration,
    cache: ClusterCache,
    role: 'copy' | 'verify',
  ): Promise<MigrationManifest | StepOutcome> {
    const { kubeConfig } = cache;
    const name = this.podName(m, role);
    const pod = await readCopyPod(kubeConfig, m.namespace, name);
    switch (pod.state) {
      case 'absent':
        await createPod(
          kubeConfig,
          buildCopyPod({
            migrationId: m.id,
            namespace: m.namespace,
            name,
            image: this.options.copyImage,
            node: m.node,
            sourceClaim: m.claim,
            targetClaim: role === 'copy' ? m.copyClaim : undefined,
          }),
        );
        return { done: false, waitingFor: `the ${role} pod ${name} to start` };
      case 'waiting':
        return {
          done: false,
          waitingFor: `the ${role} pod ${name} (${pod.reason})`,
        };
      case 'failed':
        throw new Error(`the ${role} pod ${name} failed: ${pod.reason}`);
      default:
        return pod.manifest;
    }
  }

  /** Deletes the copy or verify pod; done once it is gone. */
  private async removePod(
    m: VolumeMigration,
    cache: ClusterCache,
    role: 'copy' | 'verify',
  ): Promise<StepOutcome> {
    const name = this.podName(m, role);
    const pod = await readCopyPod(cache.kubeConfig, m.namespace, name);
    if (pod.state === 'absent') return { done: true };
    await deletePod(cache.kubeConfig, m.namespace, name, false);
    return { done: false, waitingFor: `the ${role} pod ${name} to go` };
  }
}
