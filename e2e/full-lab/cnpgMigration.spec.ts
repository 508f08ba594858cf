/*
 * The CloudNativePG story on the full lab: a CloudNativePG Cluster on
 * lab-local-static (a class that is not OpenEBS), archiving its WAL and a
 * base backup to the lab's S3 through the Barman Cloud plugin. Its owner
 * asks the portal for the migration plan (another entity naming the
 * Cluster, and a class that is not OpenEBS, are refused; so is the generic
 * migration of the Cluster's claim): a patch telling the Cluster of its
 * replacement, the replacement's manifest, the switchover's and the
 * rollback's commands. **Propose in Git…** in the plan's dialog runs the
 * openebs-cnpg-replica template against the full lab's Gitea, where the
 * Cluster's manifest was committed first: its pull request holds exactly
 * the plan, is merged, and the merged directory is applied (no Flux
 * Kustomization lists it in the lab). The replica Cluster on OpenEBS is
 * made by pg_basebackup and streams from the old one while a writer
 * inserts one row at a time. When the replica's lag is under 10 s, the
 * plan's switchover: the old Cluster is demoted (its demotion token), the
 * new one promoted with that token, so it takes over at the exact position
 * the old one stopped at. Every write the writer had acknowledged is then
 * in the new Cluster, the generated dataset's checksums are unchanged, the
 * old Cluster follows the new one. **Record in Git…** on the new primary's
 * row runs the openebs-cnpg-primary template: its pull request names the
 * new primary in both manifests as the live Clusters have it (the one-time
 * promotion token left out), and applying the merged directory, as Flux's
 * next apply would, changes neither Cluster's spec. The new Cluster
 * archives to the same bucket under its own name, and Velero backs up its
 * volume: the dual strategy.
 * The owner's Storage tab then shows both Clusters with their WAL archive.
 * Last, the plan's rollback under the writer again: the old Cluster is the
 * primary once more with every acknowledged write and the dataset, and the
 * new one follows it.
 *
 * The operator, the plugin, the instance image and the plugin's sidecar are
 * built here (lab/scripts/cnpg.sh). The migration is not yet tracked as one
 * on the tab.
 */
import { expect, Page, test } from '@playwright/test';
import type { PostgresMigrationPlan } from '@openebs-portal/plugin-openebs-storage-common';
import { parse, stringify } from 'yaml';
import {
  cloneBranch,
  commitFiles,
  deleteBranch,
  giteaApi,
  mergePullRequest,
  readGiteaEnv,
} from '../gitea';
import { next, pickGiteaRepository } from '../workloadForm';
import {
  entityApi,
  keepScreenshot,
  mergeArtifactJson,
  openStorageTab,
  signInAsGuest,
  volumeRow,
} from '../portal';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  applyList,
  kubectl,
  stateEnv,
  waitForPodReady,
  backUp,
  veleroBackups,
  VELERO_BACKUPS,
} from './fullLab';
import {
  Ack,
  acks,
  archiveObjects,
  cnpgDown,
  cnpgUp,
  longestGap,
  NEW,
  OLD,
  PLUGIN,
  runPlanCommand,
  sourceCluster,
  sql,
  writerPod,
} from './cnpg';
import { keysInBucket } from './bucket';
import {
  migrationsApi,
  removeMigrationLeftovers,
  staticLocalVolume,
  TARGET_CLASS,
} from './migrations';
import { veleroSeconds } from './shop';

const NAMESPACE = 'orders-cnpg';
const ENTITY = 'legacy-orders-db';
const LABELS = { 'backstage.io/kubernetes-id': ENTITY };
const ORDERS = 200_000;
const run = Date.now().toString(36);
const BACKUP = `orders-cnpg-${run}`;
const PREFIX = `${NAMESPACE}-${run}`;

const DATASET = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(0, 996) g;
CREATE TABLE orders (id bigint PRIMARY KEY, customer int NOT NULL REFERENCES customers,
  amount numeric(10, 2) NOT NULL, note text, placed timestamptz NOT NULL);
INSERT INTO orders SELECT g, g % 997, (g % 100000) / 100.0, md5(g::text),
  timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
  FROM generate_series(1, ${ORDERS}) g;
CREATE TABLE writes (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp());
ALTER TABLE writes OWNER TO app;
`;

function checksums(name: string): string {
  return sql(
    NAMESPACE,
    name,
    `SELECT 'customers', count(*), md5(string_agg(c::text, E'\\n' ORDER BY id)) FROM customers c
     UNION ALL
     SELECT 'orders', count(*), md5(string_agg(o::text, E'\\n' ORDER BY id)) FROM orders o;`,
  );
}

function waitForCluster(name: string, timeout = '300s') {
  kubectl([
    '-n',
    NAMESPACE,
    'wait',
    '--for=condition=Ready',
    `cluster/${name}`,
    `--timeout=${timeout}`,
  ]);
}

function clusterStatus(name: string): any {
  return JSON.parse(
    kubectl(['-n', NAMESPACE, 'get', 'cluster', name, '-o', 'json']),
  ).status;
}

/** The archive's WAL segment names under one Cluster's server name. */
function archivedWal(bucket: string, server: string): string[] {
  return keysInBucket(bucket, `${PREFIX}/${server}/wals/`).map(k =>
    k.replace(/^.*\//, '').replace(/\.gz$/, ''),
  );
}

let archiveBucket = 'cnpg-archive';

/**
 * A hand-over of the plan (the switchover, or the rollback) run as written,
 * until the writer's acknowledgements come from `to`.
 */
async function handOver(
  steps: PostgresMigrationPlan['switchover'],
  to: string,
) {
  const [demote, readToken, promote] = steps;
  runPlanCommand(demote.command);
  let token = '';
  await expect
    .poll(() => (token = runPlanCommand(readToken.command).trim()), {
      timeout: 120_000,
    })
    .not.toBe('');
  runPlanCommand(promote.command.replace('<token>', () => token));
  await expect
    .poll(() => acks(NAMESPACE).at(-1)?.host, { timeout: 180_000 })
    .toBe(`${to}-rw`);
}

/**
 * Twenty more writes, then the writer stopped; its acknowledgements, which
 * must be `first`, `first + 1` … each once, every one (and every earlier
 * one) in `cluster`.
 */
async function writesKeptIn(cluster: string, first: number): Promise<Ack[]> {
  const switched = acks(NAMESPACE).length;
  await expect
    .poll(() => acks(NAMESPACE).length, { timeout: 60_000 })
    .toBeGreaterThan(switched + 20);
  const record = acks(NAMESPACE);
  kubectl(['-n', NAMESPACE, 'delete', 'pod', 'writer', '--wait=true']);
  const last = record.at(-1)!.id;
  expect(record.map(a => a.id)).toEqual(
    Array.from({ length: last - first + 1 }, (_, i) => first + i),
  );
  expect(
    sql(
      NAMESPACE,
      cluster,
      `SELECT count(*), min(id), max(id) FROM writes WHERE id <= ${last}`,
    ),
  ).toBe(`${last}|1|${last}`);
  return record;
}

/** Whether a Cluster is in recovery, and from where it streams. */
function walReceiver(cluster: string): string {
  try {
    return sql(
      NAMESPACE,
      cluster,
      'SELECT pg_is_in_recovery(), status, sender_host FROM pg_stat_wal_receiver',
      'postgres',
    );
  } catch {
    return 'restarting';
  }
}

/** Where the cluster repository keeps the Cluster's manifests. */
const REPO_DIR = `kubernetes/apps/${NAMESPACE}/${OLD}`;

/** The plan's dialog, opened from the Cluster's row on the Storage tab. */
async function openPlan(page: Page) {
  await page
    .getByRole('table', { name: 'PostgreSQL clusters' })
    .getByRole('row')
    .filter({ hasText: `${NAMESPACE}/${OLD}` })
    // One button, or one per OpenEBS class where the lab has several.
    .getByRole('button', {
      name: new RegExp(`^Migration plan( onto ${TARGET_CLASS})?…$`),
    })
    .click();
  const dialog = page.getByRole('dialog', {
    name: `Move ${NAMESPACE}/${OLD} onto ${TARGET_CLASS}`,
  });
  await expect(dialog).toBeVisible();
  return dialog;
}
/**
 * The template's form as the portal opened it: the repository picked, run,
 * and the pull request its output links to.
 */
async function runToPullRequest(
  page: Page,
  gitea: ReturnType<typeof readGiteaEnv>,
) {
  await next(page);
  await pickGiteaRepository(page, gitea);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const prLink = page.getByRole('link', { name: 'Pull request' });
  await expect(prLink).toBeVisible({ timeout: 180_000 });
  const number = Number((await prLink.getAttribute('href'))!.split('/').pop());
  const pr = await giteaApi(
    gitea,
    `/repos/${gitea.owner}/${gitea.repo}/pulls/${number}`,
  );
  return { number, pr };
}

test.afterAll(() => {
  // The Clusters first: their instances stop before the namespace goes.
  kubectl(['-n', NAMESPACE, 'delete', 'pod', 'writer', '--ignore-not-found']);
  kubectl([
    '-n',
    NAMESPACE,
    'delete',
    'clusters.postgresql.cnpg.io',
    '--all',
    '--timeout=180s',
  ]);
  // Their pods gone before the namespace goes: a namespace deleted while
  // pods terminate is looked at again only after their grace period
  // (CloudNativePG's is 30 minutes) or the controller's 5-minute resync.
  kubectl([
    '-n',
    NAMESPACE,
    'delete',
    'pod',
    '--all',
    '--wait=true',
    '--timeout=180s',
  ]);
  removeMigrationLeftovers([NAMESPACE], run);
  fs.rmSync(
    path.join(stateEnv('env-s3', 'LAB_S3_DATA'), archiveBucket, PREFIX),
    {
      recursive: true,
      force: true,
    },
  );
  veleroBackups('delete', [BACKUP, '--ignore-not-found', '--wait=false']);
  cnpgDown();
});

test("a CloudNativePG cluster moves onto OpenEBS as a replica, by pull requests from the portal's plan: no acknowledged write lost, the hand-over kept in Git, archiving kept, Velero backs it up, the owner's tab shows both clusters", async ({
  page,
}, testInfo) => {
  test.setTimeout(1_200_000);
  const timings: Record<string, number> = {};
  const { image, bucket } = cnpgUp();
  archiveBucket = bucket;
  let original = '';
  const source = sourceCluster(NAMESPACE, {
    image,
    storageClass: 'lab-local-static',
    labels: LABELS,
  });

  await test.step('a Cluster on a class that is not OpenEBS, archiving to S3 through the plugin', async () => {
    applyList([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: NAMESPACE,
          annotations: {
            'openebs-portal.dev/owner': 'group:default/team-shop',
          },
        },
      },
      staticLocalVolume(`${NAMESPACE}-${run}`, run, {
        namespace: NAMESPACE,
        name: `${OLD}-1`,
      }),
      ...archiveObjects(NAMESPACE, { bucket, prefix: PREFIX }),
      source,
    ]);
    waitForCluster(OLD);
    sql(NAMESPACE, OLD, DATASET);
    original = checksums(OLD);
    expect(original).toMatch(
      new RegExp(`^orders\\|${ORDERS}\\|[0-9a-f]{32}$`, 'm'),
    );
    timings.cnpgDatabaseBytes = Number(
      sql(NAMESPACE, OLD, "SELECT pg_database_size('app')"),
    );
    // A base backup through the plugin: the ObjectStore records it.
    kubectl(
      ['create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Backup',
        metadata: { name: `${OLD}-base`, namespace: NAMESPACE },
        spec: {
          cluster: { name: OLD },
          method: 'plugin',
          pluginConfiguration: { name: PLUGIN },
        },
      }),
    );
    kubectl([
      '-n',
      NAMESPACE,
      'wait',
      '--for=jsonpath={.status.phase}=completed',
      `backups.postgresql.cnpg.io/${OLD}-base`,
      '--timeout=300s',
    ]);
    const store = JSON.parse(
      kubectl(['-n', NAMESPACE, 'get', 'objectstore', 'archive', '-o', 'json']),
    );
    expect(
      store.status.serverRecoveryWindow[OLD].lastSuccessfulBackupTime,
    ).toBeTruthy();
    expect(archivedWal(bucket, OLD).length).toBeGreaterThan(0);
  });

  let plan!: PostgresMigrationPlan;
  await test.step('its owner asks the portal for the migration plan; another entity naming it and a class that is not OpenEBS are refused', async () => {
    await signInAsGuest(page);
    const storage = await (
      await entityApi(page, ENTITY, 'GET', '/storage')
    ).json();
    const labCluster = storage.clusters.find((c: any) =>
      c.databases?.some((d: any) => d.name === OLD),
    )?.cluster;
    expect(labCluster, `${ENTITY}'s tab lists ${OLD}`).toBeDefined();
    const planOf = (entity: string, targetClass: string) =>
      entityApi(
        page,
        entity,
        'GET',
        `/databases/${labCluster}/${NAMESPACE}/${OLD}/migration-plan?targetClass=${targetClass}`,
      );
    // shop is the guest's team's too, but no volume of this Cluster is shop's.
    const foreign = await planOf('shop', TARGET_CLASS);
    expect(foreign.status()).toBe(403);
    expect((await foreign.json()).error.message).toContain(
      `Cluster ${NAMESPACE}/${OLD} is not component:default/shop's`,
    );
    const notOpenebs = await planOf(ENTITY, 'lab-local-static');
    expect(notOpenebs.status()).toBe(400);
    const answer = await planOf(ENTITY, TARGET_CLASS);
    expect(answer.status()).toBe(200);
    plan = await answer.json();
    expect(plan.target).toEqual({ name: NEW, storageClass: TARGET_CLASS });
    // The same plan on the tab, where the owner reads it.
    await openStorageTab(page, ENTITY);
    const dialog = await openPlan(page);
    await expect(dialog).toContainText(plan.switchover[0].command);
    await expect(dialog).toContainText(`pg_basebackup`);
    await keepScreenshot(page, 'full-lab-cnpg-plan.png');
    await dialog.getByRole('button', { name: 'Close' }).click();
    // The instance's claim is not moved by itself: the operator owns it.
    const claim = `${OLD}-1`;
    const generic = volumeRow(page, claim).getByRole('button', {
      name: `Migrate ${NAMESPACE}/${claim} to OpenEBS`,
    });
    await expect(generic).toBeDisabled();
    await expect(volumeRow(page, claim)).toContainText(
      `A volume of CloudNativePG cluster ${OLD}: it moves with the cluster's migration plan`,
    );
    const refused = await migrationsApi(page, ENTITY, 'POST', '', {
      requestId: randomUUID(),
      cluster: labCluster,
      namespace: NAMESPACE,
      claim,
      targetClass: TARGET_CLASS,
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.message).toContain(
      `is a volume of CloudNativePG cluster ${OLD}`,
    );
    const { migrations } = await (
      await migrationsApi(page, ENTITY, 'GET', '')
    ).json();
    expect(migrations.filter((m: any) => m.claim === claim)).toEqual([]);
    // A plan proposes; nothing is created by asking.
    expect(
      kubectl([
        '-n',
        NAMESPACE,
        'get',
        'clusters.postgresql.cnpg.io',
        '-o',
        'name',
      ]).trim(),
    ).toBe(`cluster.postgresql.cnpg.io/${OLD}`);
  });

  let merged = '';
  await test.step("'Propose in Git…' on the plan: the template's pull request holds the plan's manifests beside the team's, and is merged", async () => {
    const gitea = readGiteaEnv();
    // The Cluster's manifest as its team keeps it in the cluster
    // repository. No Flux Kustomization lists this directory in the lab:
    // the story applies what is merged itself, below.
    await commitFiles(
      gitea,
      'main',
      {
        [`${REPO_DIR}/${OLD}.yaml`]: stringify(source),
        [`${REPO_DIR}/kustomization.yaml`]: stringify({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: [`${OLD}.yaml`],
        }),
        // What an earlier run on a kept lab merged.
        [`${REPO_DIR}/${NEW}.yaml`]: null,
      },
      `${NAMESPACE}/${OLD}, as its team keeps it`,
    );
    // The template's branch, as an earlier run on a kept lab left it.
    await deleteBranch(gitea, `openebs-cnpg-replica-${NAMESPACE}-${OLD}`);
    await openStorageTab(page, ENTITY);
    const dialog = await openPlan(page);
    await dialog.getByRole('button', { name: 'Propose in Git…' }).click();
    await expect(page).toHaveURL(
      /\/create\/templates\/default\/openebs-cnpg-replica\?formData=/,
    );
    await expect(page.getByRole('textbox', { name: /^Namespace/ })).toHaveValue(
      NAMESPACE,
    );
    const { number, pr } = await runToPullRequest(page, gitea);
    await keepScreenshot(page, 'full-lab-cnpg-pull-request.png');
    // What the pull request proposes is the plan the tab showed.
    const proposed = cloneBranch(gitea, pr.head.ref, testInfo.outputPath('pr'));
    const read = (file: string) =>
      parse(fs.readFileSync(path.join(proposed, REPO_DIR, file), 'utf8'));
    expect(read(`${NEW}.yaml`)).toEqual(parse(plan.replicaCluster));
    expect(read(`${OLD}.yaml`)).toEqual({
      ...source,
      spec: { ...(source as any).spec, ...parse(plan.existingPatch).spec },
    });
    expect(read('kustomization.yaml').resources).toEqual([
      `${OLD}.yaml`,
      `${NEW}.yaml`,
    ]);
    await mergePullRequest(gitea, number);
    merged = cloneBranch(gitea, 'main', testInfo.outputPath('main'));
  });

  await test.step('a replica Cluster on OpenEBS, from the merged manifests, streams from it under a steady write load', async () => {
    applyList([writerPod(NAMESPACE, image)]);
    waitForPodReady(NAMESPACE, 'writer');
    await expect.poll(() => acks(NAMESPACE).length).toBeGreaterThan(10);
    const started = Date.now();
    // The merged directory, applied as Flux's Kustomization would.
    kubectl(['apply', '-k', path.join(merged, REPO_DIR)]);
    // pg_basebackup waits for a checkpoint, spread over minutes by
    // default; one asked for once it waits starts the copy at once.
    let copy = '';
    await expect
      .poll(
        () =>
          (copy =
            clusterStatus(NEW)?.readyInstances === 1
              ? 'done'
              : sql(
                  NAMESPACE,
                  OLD,
                  'SELECT count(*) FROM pg_stat_progress_basebackup',
                  'postgres',
                )),
        { timeout: 180_000 },
      )
      .toMatch(/^(1|done)$/);
    if (copy === '1') sql(NAMESPACE, OLD, 'CHECKPOINT', 'postgres');
    waitForCluster(NEW);
    timings.cnpgReplicaReadySeconds = (Date.now() - started) / 1000;
    expect(
      kubectl([
        '-n',
        NAMESPACE,
        'get',
        'pvc',
        `${NEW}-1`,
        '-o',
        'jsonpath={.spec.storageClassName}',
      ]),
    ).toBe(TARGET_CLASS);
    // The lag the old primary sees for its replica, under the writer.
    await expect
      .poll(
        () =>
          Number(
            sql(
              NAMESPACE,
              OLD,
              `SELECT coalesce(extract(epoch FROM replay_lag), 0) FROM pg_stat_replication WHERE application_name = '${NEW}'`,
              'postgres',
            ) || 'NaN',
          ),
        { timeout: 120_000 },
      )
      .toBeLessThan(10);
  });

  let lastWrite = 0;
  await test.step("the switchover, by the plan's commands: every acknowledged write is in the new Cluster", async () => {
    const started = Date.now();
    await handOver(plan.switchover, NEW);
    timings.cnpgSwitchoverSeconds = (Date.now() - started) / 1000;
    const record = await writesKeptIn(NEW, 1);
    lastWrite = record.at(-1)!.id;
    timings.cnpgAcknowledgedWrites = lastWrite;
    timings.cnpgWriteGapSeconds = Number(longestGap(record).toFixed(1));
    expect(timings.cnpgWriteGapSeconds).toBeLessThan(300);
  });

  await test.step('the dataset unchanged, the old Cluster following the new one', async () => {
    expect(checksums(NEW)).toBe(original);
    expect(sql(NAMESPACE, NEW, 'SELECT pg_is_in_recovery()')).toBe('f');
    await expect
      .poll(() => walReceiver(OLD), { timeout: 180_000 })
      .toBe(`t|streaming|${NEW}-rw`);
  });

  await test.step("'Record in Git…' on the new primary: the pull request writes the hand-over as the live Clusters have it, and applying it changes no spec", async () => {
    const gitea = readGiteaEnv();
    await deleteBranch(gitea, `openebs-cnpg-primary-${NAMESPACE}-${NEW}`);
    const started = Date.now();
    await openStorageTab(page, ENTITY);
    await page
      .getByRole('table', { name: 'PostgreSQL clusters' })
      .getByRole('row')
      .filter({ hasText: `${NAMESPACE}/${NEW}` })
      .getByRole('button', { name: 'Record in Git…' })
      .click();
    await expect(page).toHaveURL(
      /\/create\/templates\/default\/openebs-cnpg-primary\?formData=/,
    );
    const { number, pr } = await runToPullRequest(page, gitea);
    // From the tab to the pull request, through the template.
    timings.cnpgRecordInGitSeconds = (Date.now() - started) / 1000;
    const proposed = cloneBranch(
      gitea,
      pr.head.ref,
      testInfo.outputPath('pr-primary'),
    );
    const live = (name: string) =>
      JSON.parse(
        kubectl(['-n', NAMESPACE, 'get', 'cluster', name, '-o', 'json']),
      );
    // Git says what the live Clusters say, but the one-time token.
    for (const name of [OLD, NEW]) {
      const inGit = parse(
        fs.readFileSync(path.join(proposed, REPO_DIR, `${name}.yaml`), 'utf8'),
      );
      const { promotionToken: _token, ...replica } = live(name).spec.replica;
      expect(inGit.spec.replica).toEqual(replica);
    }
    expect(live(OLD).spec.replica).toEqual({ primary: NEW, source: NEW });
    await mergePullRequest(gitea, number);
    const main = cloneBranch(
      gitea,
      'main',
      testInfo.outputPath('main-primary'),
    );
    const generations = () => [OLD, NEW].map(n => live(n).metadata.generation);
    const before = generations();
    // Applied as Flux's next apply would: no spec changes, the primary kept.
    kubectl(['apply', '-k', path.join(main, REPO_DIR)]);
    expect(generations()).toEqual(before);
    expect(sql(NAMESPACE, NEW, 'SELECT pg_is_in_recovery()')).toBe('f');
  });

  await test.step('the new Cluster archives to the same bucket, and Velero backs up its volume', async () => {
    sql(NAMESPACE, NEW, 'SELECT pg_switch_wal()', 'postgres');
    await expect
      .poll(() => archivedWal(bucket, NEW).length, { timeout: 120_000 })
      .toBeGreaterThan(0);
    const archiving = clusterStatus(NEW).conditions.find(
      (c: any) => c.type === 'ContinuousArchiving',
    );
    expect(archiving?.status).toBe('True');

    const selector = { matchLabels: { 'cnpg.io/cluster': NEW } };
    backUp(BACKUP, LABELS, {
      includedNamespaces: [NAMESPACE],
      labelSelector: selector,
      defaultVolumesToFsBackup: true,
      snapshotVolumes: false,
      storageLocation: 'default',
      ttl: '24h0m0s',
      hooks: {
        resources: [
          {
            name: 'checkpoint',
            includedNamespaces: [NAMESPACE],
            labelSelector: selector,
            pre: [
              {
                exec: {
                  container: 'postgres',
                  command: ['psql', '-c', 'CHECKPOINT'],
                  // Velero's default is 30 s; a checkpoint on a loaded
                  // node may take longer, and a failed hook fails the backup.
                  timeout: '2m',
                  onError: 'Fail',
                },
              },
            ],
          },
        ],
      },
    });
    timings.cnpgVeleroBackupSeconds = veleroSeconds([VELERO_BACKUPS, BACKUP]);
    const volumes = JSON.parse(
      kubectl([
        '-n',
        'velero',
        'get',
        'podvolumebackups',
        '-l',
        `velero.io/backup-name=${BACKUP}`,
        '-o',
        'json',
      ]),
    ).items.filter((v: any) => v.spec.volume === 'pgdata');
    expect(volumes.map((v: any) => [v.spec.pod.name, v.status.phase])).toEqual([
      [`${NEW}-1`, 'Completed'],
    ]);
    timings.cnpgVeleroBackupBytes = volumes[0].status.progress.totalBytes;
  });

  await test.step("the owner's Storage tab: the new Cluster primary on OpenEBS and archiving, the old one its replica, recoverable from its base backup", async () => {
    // Signed in since the plan was asked for.
    await openStorageTab(page, ENTITY);
    const table = page.getByRole('table', { name: 'PostgreSQL clusters' });
    // `orders` is a prefix of `orders-openebs`.
    const row = (name: string) =>
      table.getByRole('row').filter({
        hasText: `${NAMESPACE}/${name}`,
        hasNotText: name === OLD ? `${NAMESPACE}/${NEW}` : undefined,
      });
    await expect(row(NEW)).toContainText('1/1 ready');
    await expect(row(NEW)).toContainText(TARGET_CLASS);
    await expect(row(NEW)).toContainText(`primary ${NEW}-1`);
    await expect(row(NEW)).toContainText(/Archiving(?! failing)/);
    await expect(row(OLD)).toContainText(`replica of ${NEW} (takes no writes)`);
    await expect(row(OLD)).toContainText('lab-local-static');
    // The old server's window in the store: its base backup at the start.
    const window = JSON.parse(
      kubectl(['-n', NAMESPACE, 'get', 'objectstore', 'archive', '-o', 'json']),
    ).status.serverRecoveryWindow[OLD];
    await expect(row(OLD).getByRole('cell').nth(4)).not.toHaveText('—');
    expect(window.firstRecoverabilityPoint).toBeTruthy();
    await keepScreenshot(page, 'full-lab-cnpg-tab.png');
  });

  await test.step("the rollback, by the plan's commands under a steady write load: the old Cluster is the primary again with every acknowledged write and the dataset, the new one follows it", async () => {
    applyList([writerPod(NAMESPACE, image, lastWrite + 1)]);
    waitForPodReady(NAMESPACE, 'writer');
    await expect
      .poll(() => acks(NAMESPACE).length, { timeout: 60_000 })
      .toBeGreaterThan(10);
    const started = Date.now();
    await handOver(plan.rollback, OLD);
    timings.cnpgRollbackSeconds = (Date.now() - started) / 1000;
    const record = await writesKeptIn(OLD, lastWrite + 1);
    timings.cnpgRollbackWriteGapSeconds = Number(longestGap(record).toFixed(1));
    expect(timings.cnpgRollbackWriteGapSeconds).toBeLessThan(300);
    expect(checksums(OLD)).toBe(original);
    await expect
      .poll(() => walReceiver(NEW), { timeout: 180_000 })
      .toBe(`t|streaming|${OLD}-rw`);
  });

  mergeArtifactJson('timings.json', timings);
});
