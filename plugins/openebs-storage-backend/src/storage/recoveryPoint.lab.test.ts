import { Entity } from '@backstage/catalog-model';
import {
  EntityStorage,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import request from 'supertest';
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';
import {
  labClusterConfig,
  startStorageTestBackend,
  StorageTestBackend,
} from '../__testUtils__/testBackend';
import { claimWithPod, completedRun } from '../__testUtils__/scheduledVolume';

/*
 * Recovery points judged by the schedule that protects each volume, and a
 * volume the newest scheduled run skipped, on the real kube-apiserver from
 * lab/ (Velero's objects written with the statuses Velero writes).
 *
 * Backup ages are chosen so the verdict cannot depend on the time of day: a
 * backup a minute old is within any schedule's grace, and one older than a
 * period plus the grace is overdue whatever the clock says.
 */

jest.setTimeout(60_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const run = Math.random().toString(36).slice(2, 8);

type Case = {
  key: string;
  cron: string;
  paused?: boolean;
  backupHoursAgo: number;
};

const CASES: Case[] = [
  { key: 'hourly-fresh', cron: '0 * * * *', backupHoursAgo: 1 / 60 },
  { key: 'hourly-late', cron: '0 * * * *', backupHoursAgo: 3 },
  { key: 'daily-late', cron: '0 2 * * *', backupHoursAgo: 26 },
  // 26 hours is within a weekly period: not the fixed 25 h of before.
  { key: 'weekly-ok', cron: '@every 168h', backupHoursAgo: 26 },
  { key: 'weekly-late', cron: '0 3 * * 0', backupHoursAgo: 8 * 24 },
  { key: 'paused', cron: '0 2 * * *', paused: true, backupHoursAgo: 1 / 60 },
];

const namespaceOf = (key: string) => `rpo-${key}-${run}`;

function entity(key: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: key,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': key,
        'backstage.io/kubernetes-namespace': namespaceOf(key),
      },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

/** The case's claim and pod, in its own namespace (no owner recorded). */
function volumeOf(key: string, podAnnotations?: Record<string, string>) {
  return claimWithPod(admin, {
    namespace: namespaceOf(key),
    id: key,
    podAnnotations,
  });
}

/** A run of `schedule` and, unless `skipped`, its copy of the claim. */
function backupRun(options: {
  key: string;
  schedule: string;
  name: string;
  hoursAgo: number;
  claimUid: string;
  skipped?: boolean;
}) {
  const { key, ...rest } = options;
  return completedRun(admin, {
    namespace: namespaceOf(key),
    id: key,
    ...rest,
  });
}

async function volumeUntil(
  server: any,
  key: string,
  ready: (volume: VolumeStatus) => boolean,
): Promise<VolumeStatus> {
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const response = await request(server).get(
      `/api/openebs-storage/entities/component/default/${key}/storage`,
    );
    last = response.body;
    const volume = (response.body as EntityStorage).clusters?.[0]?.volumes[0];
    if (response.status === 200 && volume && ready(volume)) return volume;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(
    `Timed out waiting for ${key}; last: ${JSON.stringify(last)}`,
  );
}

describe('recovery points against each schedule, on the lab apiserver', () => {
  let backend: StorageTestBackend;

  beforeAll(async () => {
    for (const manifest of fixtures.storageClasses()) {
      await admin.apply(manifest);
    }
    await admin.apply(fixtures.node('lab-node-1'));
    for (const c of CASES) {
      const claimUid = await volumeOf(c.key);
      const schedule = `${c.key}-${run}`;
      await admin.apply(
        fixtures.schedule({
          name: schedule,
          namespaces: [namespaceOf(c.key)],
          cron: c.cron,
          paused: c.paused,
        }),
      );
      await backupRun({
        key: c.key,
        schedule,
        name: `${schedule}-1`,
        hoursAgo: c.backupHoursAgo,
        claimUid,
      });
    }
    backend = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [
        ...CASES.map(c => entity(c.key)),
        entity('skipped'),
        entity('new'),
      ],
    });
  });

  afterAll(async () => {
    await backend?.backend.stop();
  });

  it.each(CASES.filter(c => !c.paused))(
    '$key: $cron with a backup $backupHoursAgo h old',
    async c => {
      const volume = await volumeUntil(
        backend.server,
        c.key,
        v => v.lastGoodBackup !== undefined,
      );
      const point = volume.recoveryPoint!;
      const overdue = c.backupHoursAgo > 1;
      expect(point).toMatchObject({
        schedule: `${c.key}-${run}`,
        cron: c.cron,
        overdue: c.key === 'weekly-ok' ? false : overdue,
      });
      expect(point.ageSeconds! / 3600).toBeCloseTo(c.backupHoursAgo, 1);
      expect(point.intervalSeconds).toBe(
        { '0 * * * *': 3600, '0 2 * * *': 86400 }[c.cron] ?? 7 * 86400,
      );
      expect(volume.health.status).toBe(
        point.overdue ? 'at-risk' : 'protected',
      );
      expect(volume.health.reason).toContain(
        point.overdue
          ? `schedule ${c.key}-${run} (${c.cron}, every `
          : `Schedule ${c.key}-${run}, every `,
      );
      // Overdue names the run that was due; otherwise the copy's age.
      expect(volume.health.reason).toContain(
        point.overdue ? `was due to back it up at ${point.dueAt}` : ' ago',
      );
    },
  );

  it('a paused schedule is no cover, and says so', async () => {
    const volume = await volumeUntil(
      backend.server,
      'paused',
      v => v.lastGoodBackup !== undefined,
    );
    expect(volume.schedules).toEqual([]);
    expect(volume.recoveryPoint).toBeUndefined();
    expect(volume.health.status).toBe('at-risk');
    expect(volume.health.reason).toMatch(
      new RegExp(
        `^Only a manual backup \\(paused-${run}-1, \\d+ min ago\\); schedule paused-${run} covering it is paused$`,
      ),
    );
  });

  it('a claim made after the newest run is owed no backup by it yet', async () => {
    // Velero backs a new volume up at the schedule's next run: until then
    // it is not overdue (an alert would page for every new volume).
    await volumeOf('new');
    const schedule = `new-${run}`;
    await admin.apply(
      fixtures.schedule({
        name: schedule,
        namespaces: [namespaceOf('new')],
        cron: '@every 24h',
      }),
    );
    const volume = await volumeUntil(
      backend.server,
      'new',
      v => v.recoveryPoint !== undefined,
    );
    expect(volume.lastGoodBackup).toBeUndefined();
    expect(volume.recoveryPoint).toMatchObject({ schedule, overdue: false });
  });

  it('a volume the newest run skipped is at risk with the reason, though an older copy is recent', async () => {
    // Opted out on its pod: Velero's newest run records nothing for it.
    const claimUid = await volumeOf('skipped', {
      'backup.velero.io/backup-volumes-excludes': 'data-0',
    });
    const schedule = `skipped-${run}`;
    await admin.apply(
      fixtures.schedule({
        name: schedule,
        namespaces: [namespaceOf('skipped')],
        cron: '@every 24h',
      }),
    );
    // A good copy from two hours ago…
    await backupRun({
      key: 'skipped',
      schedule,
      name: `${schedule}-old`,
      hoursAgo: 2,
      claimUid,
    });
    // …and the newest run, started after the claim, without one.
    await new Promise(resolve => setTimeout(resolve, 1100));
    await backupRun({
      key: 'skipped',
      schedule,
      name: `${schedule}-new`,
      hoursAgo: 0,
      claimUid,
      skipped: true,
    });
    const volume = await volumeUntil(
      backend.server,
      'skipped',
      v => v.health.status === 'at-risk',
    );
    expect(volume.lastGoodBackup?.backupName).toBe(`${schedule}-old`);
    expect(volume.recoveryPoint?.overdue).toBe(false);
    expect(volume.health.reason).toBe(
      `Newest backup ${schedule}-new (schedule ${schedule}) holds no copy of this volume: pod skipped-0 opts its volume "data-0" out with the annotation backup.velero.io/backup-volumes-excludes`,
    );
  });
});
