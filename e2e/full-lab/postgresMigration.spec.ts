/*
 * The PostgreSQL migration story on the full lab: `legacy-orders-db`
 * (team-shop's, examples/entities.yaml) is a real PostgreSQL 15 (Debian's
 * packages, the lab image of lab/scripts/images.sh) run by a StatefulSet
 * whose claim is on lab-local-static, a class that is not OpenEBS. It holds
 * a generated dataset. Its owner migrates the claim onto OpenEBS through
 * the portal: the StatefulSet is stopped (a fast shutdown: a clean data
 * directory), the copy pod copies and compares the files, the claim is
 * bound to the new volume, the database comes back. The rows are then
 * compared by the database itself: count and an MD5 of every row in key
 * order, per table, before and after. A row written on the new volume and
 * the rollback bring back the old volume with the rows it had; migrated
 * again and confirmed, the database is backed up by Velero (file-system
 * backup, a CHECKPOINT as the pre-backup hook) and restored through the
 * portal into a new namespace, where the rows are compared once more.
 */
import { expect, Page, test } from '@playwright/test';
import type {
  RestoreRequest,
  VolumeMigration,
} from '@openebs-portal/plugin-openebs-storage-common';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  detachFromDevServer,
  entityApi,
  mergeArtifactJson,
  signInAsGuest,
} from '../portal';
import {
  applyList,
  kubectl,
  labState,
  waitForPodReady,
  backUp,
  veleroBackups,
  VELERO_BACKUPS,
} from './fullLab';
import {
  migrationNotifications,
  migrationObjects,
  migrationsApi,
  removeMigrationLeftovers,
  staticLocalVolume,
  TARGET_CLASS,
  waitForMigration,
} from './migrations';
import { veleroSeconds } from './shop';

const ENTITY = 'legacy-orders-db';
const NAMESPACE = 'legacy-orders';
const CLAIM = 'data-orders-db-0';
const POD = 'orders-db-0';
const ORDERS = 400_000;
const run = Date.now().toString(36);
const BACKUP = `orders-${run}`;

/** The lab's PostgreSQL image, built (or found up to date) and pushed. */
function postgresImage(): string {
  const out = execFileSync(
    path.resolve(__dirname, '../../lab/scripts/images.sh'),
    [labState(), 'postgresql'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const line = out
    .split('\n')
    .find(l => l.startsWith('openebs-lab/postgresql:15='));
  if (!line) throw new Error(`images.sh pushed no postgresql image:\n${out}`);
  // By digest, through the nodes' docker.io mirror (the lab registry).
  return `docker.io/openebs-lab/postgresql@${line.split('@')[1]}`;
}

/** The namespace, the static volume reserved for the claim, the StatefulSet. */
function ordersDatabase(image: string) {
  const labels = { 'backstage.io/kubernetes-id': ENTITY, app: 'orders-db' };
  const mount = { name: 'data', mountPath: '/var/lib/postgresql/data' };
  applyList([
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: NAMESPACE,
        annotations: { 'openebs-portal.dev/owner': 'group:default/team-shop' },
      },
    },
    staticLocalVolume(`${NAMESPACE}-${run}`, run, {
      namespace: NAMESPACE,
      name: CLAIM,
    }),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'orders-db', namespace: NAMESPACE, labels },
      spec: {
        serviceName: 'orders-db',
        replicas: 1,
        selector: { matchLabels: { app: 'orders-db' } },
        template: {
          metadata: {
            labels,
            annotations: {
              // Written pages reach the files before Velero copies them; the
              // story writes nothing during the backup.
              'pre.hook.backup.velero.io/container': 'postgres',
              'pre.hook.backup.velero.io/command':
                '["psql", "-U", "postgres", "-c", "CHECKPOINT"]',
            },
          },
          spec: {
            initContainers: [
              {
                // The volume's root is root's; the server wants its own.
                name: 'data-owner',
                image,
                command: [
                  'sh',
                  '-c',
                  'mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"',
                ],
                securityContext: { runAsUser: 0 },
                volumeMounts: [mount],
              },
            ],
            containers: [
              {
                name: 'postgres',
                image,
                volumeMounts: [mount],
                readinessProbe: {
                  exec: { command: ['pg_isready', '-U', 'postgres'] },
                  periodSeconds: 2,
                },
                resources: { requests: { cpu: '50m', memory: '128Mi' } },
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: {
              storageClassName: 'lab-local-static',
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: '2Gi' } },
            },
          },
        ],
      },
    },
  ]);
}

/** psql's unaligned answer, in the database's pod once it is Ready. */
function sql(namespace: string, query: string): string {
  // The pod may not be made yet: the StatefulSet first.
  kubectl([
    '-n',
    namespace,
    'rollout',
    'status',
    'statefulset/orders-db',
    '--timeout=240s',
  ]);
  waitForPodReady(namespace, POD, 240);
  return kubectl(
    [
      '-n',
      namespace,
      'exec',
      '-i',
      POD,
      '-c',
      'postgres',
      '--',
      'psql',
      '-U',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-qAt',
    ],
    query,
  ).trim();
}

const DATASET = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(0, 996) g;
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer int NOT NULL REFERENCES customers,
  amount numeric(10, 2) NOT NULL,
  note text,
  placed timestamptz NOT NULL
);
INSERT INTO orders
  SELECT g, g % 997, (g % 100000) / 100.0, md5(g::text),
         timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
  FROM generate_series(1, ${ORDERS}) g;
CREATE INDEX orders_by_customer ON orders (customer);
`;

/** Per table: its rows' count and the MD5 of every row, in key order. */
function checksums(namespace: string): string {
  return sql(
    namespace,
    `SELECT 'customers', count(*), md5(string_agg(c::text, E'\\n' ORDER BY id)) FROM customers c
     UNION ALL
     SELECT 'orders', count(*), md5(string_agg(o::text, E'\\n' ORDER BY id)) FROM orders o;`,
  );
}

function claimField(field: string): string {
  return kubectl([
    '-n',
    NAMESPACE,
    'get',
    'pvc',
    CLAIM,
    '-o',
    `jsonpath={${field}}`,
  ]);
}

async function migrate(page: Page): Promise<VolumeMigration> {
  const response = await migrationsApi(page, ENTITY, 'POST', '', {
    requestId: randomUUID(),
    cluster: 'lab',
    namespace: NAMESPACE,
    claim: CLAIM,
    targetClass: TARGET_CLASS,
  });
  expect(response.status(), await response.text()).toBe(201);
  const requested: VolumeMigration = await response.json();
  expect(requested.workloads).toEqual([
    { kind: 'StatefulSet', name: 'orders-db' },
  ]);
  return waitForMigration(page, ENTITY, requested.id, 'awaiting-confirmation');
}

async function restoresApi(
  page: Page,
  method: 'GET' | 'POST',
  data?: object,
): Promise<any> {
  const response = await entityApi(page, ENTITY, method, '/restores', data);
  expect(response.ok(), await response.text()).toBe(true);
  return response.json();
}

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

let restoredNamespace: string | undefined;
test.afterAll(() => {
  const namespaces = [
    NAMESPACE,
    ...(restoredNamespace ? [restoredNamespace] : []),
  ];
  removeMigrationLeftovers(namespaces, run);
  veleroBackups('delete', [BACKUP, '--ignore-not-found', '--wait=false']);
});

test('an owner moves a PostgreSQL database onto OpenEBS: rows equal, rollback exercised, backed up and restored', async ({
  page,
}) => {
  test.setTimeout(1_200_000);
  const timings: Record<string, number> = {};
  let original = '';

  await test.step('a PostgreSQL StatefulSet on a class that is not OpenEBS, with a dataset', async () => {
    ordersDatabase(postgresImage());
    sql(NAMESPACE, DATASET);
    original = checksums(NAMESPACE);
    expect(original).toMatch(
      new RegExp(`^orders\\|${ORDERS}\\|[0-9a-f]{32}$`, 'm'),
    );
    timings.postgresRows = ORDERS + 997;
    timings.postgresDatabaseBytes = Number(
      sql(NAMESPACE, 'SELECT pg_database_size(current_database())'),
    );
  });

  await signInAsGuest(page);

  const oldVolume = claimField('.spec.volumeName');
  let first!: VolumeMigration;
  await test.step('migrated through the portal: the same rows on OpenEBS', async () => {
    first = await migrate(page);
    expect(first.downtimeSeconds).toBeLessThan(300);
    timings.postgresMigrationDowntimeSeconds = first.downtimeSeconds!;
    timings.postgresMigratedBytes = first.manifest!.bytes;
    timings.postgresMigratedFiles = first.manifest!.files;
    expect(claimField('.spec.storageClassName')).toBe(TARGET_CLASS);
    expect(checksums(NAMESPACE)).toBe(original);
    expect(sql(NAMESPACE, 'SELECT pg_is_in_recovery()')).toBe('f');
    expect(migrationObjects()).toBe('');
    // Its runbook names the real volumes; asked for through another
    // entity (shop, also the guest's), the migration is not found.
    const runbook = await migrationsApi(
      page,
      ENTITY,
      'GET',
      `/${first.id}/runbook`,
    );
    expect((await runbook.json()).markdown).toContain(
      `ns=${NAMESPACE} claim=${CLAIM} pv=${oldVolume}`,
    );
    const elsewhere = await migrationsApi(
      page,
      'shop',
      'GET',
      `/${first.id}/runbook`,
    );
    expect(elsewhere.status()).toBe(404);
    // The owners are told the migration waits for their decision.
    await expect
      .poll(() => migrationNotifications(page, first.id), { timeout: 30_000 })
      .toEqual([
        `${NAMESPACE}/${CLAIM} runs on ${TARGET_CLASS}: keep it or roll back`,
      ]);
  });

  await test.step('a row written on the new volume, then the rollback: the old rows, unchanged', async () => {
    sql(
      NAMESPACE,
      `INSERT INTO orders VALUES (${ORDERS + 1}, 1, 9.99, 'after', now());`,
    );
    expect(checksums(NAMESPACE)).not.toBe(original);
    const decided = await migrationsApi(
      page,
      ENTITY,
      'POST',
      `/${first.id}/rollback`,
    );
    expect(decided.status(), await decided.text()).toBe(200);
    const rolledBack = await waitForMigration(
      page,
      ENTITY,
      first.id,
      'rolled-back',
    );
    expect(rolledBack.rollbackVerified!.sha256).toBe(first.manifest!.sha256);
    timings.postgresRollbackDowntimeSeconds =
      rolledBack.rollbackDowntimeSeconds!;
    expect(claimField('.spec.volumeName')).toBe(oldVolume);
    expect(checksums(NAMESPACE)).toBe(original);
    // The same notification, now saying how it ended.
    await expect
      .poll(() => migrationNotifications(page, first.id), { timeout: 30_000 })
      .toEqual([`${NAMESPACE}/${CLAIM} is back on lab-local-static`]);
  });

  await test.step('migrated again and confirmed', async () => {
    const second = await migrate(page);
    const decided = await migrationsApi(
      page,
      ENTITY,
      'POST',
      `/${second.id}/confirm`,
    );
    expect((await decided.json()).state).toBe('confirmed');
    expect(checksums(NAMESPACE)).toBe(original);
  });

  await test.step('backed up by Velero and restored through the portal: the same rows again', async () => {
    const labels = { 'backstage.io/kubernetes-id': ENTITY };
    backUp(BACKUP, labels, {
      includedNamespaces: [NAMESPACE],
      labelSelector: { matchLabels: labels },
      defaultVolumesToFsBackup: true,
      snapshotVolumes: false,
      storageLocation: 'default',
      ttl: '24h0m0s',
    });
    timings.postgresBackupSeconds = veleroSeconds([VELERO_BACKUPS, BACKUP]);

    // The portal sees the backup once its cache has it.
    let request!: RestoreRequest;
    restoredNamespace = `${NAMESPACE}-restore-${run}`;
    await expect(async () => {
      request = await restoresApi(page, 'POST', {
        requestId: randomUUID(),
        cluster: 'lab',
        backupName: BACKUP,
        namespace: NAMESPACE,
        volumes: [CLAIM],
        mode: 'new-namespace',
        targetNamespace: restoredNamespace,
      });
    }).toPass({ timeout: 60_000, intervals: [3_000] });
    await expect
      .poll(
        async () => {
          const { items } = await restoresApi(page, 'GET');
          const state = items.find(
            (r: RestoreRequest) => r.id === request.id,
          ).state;
          if (['failed', 'partially-failed'].includes(state)) {
            throw new Error(`restore ${request.restoreName}: ${state}`);
          }
          return state;
        },
        { timeout: 300_000, intervals: [3_000] },
      )
      .toBe('completed');
    timings.postgresRestoreSeconds = veleroSeconds([
      'restore',
      request.restoreName,
    ]);
    expect(checksums(restoredNamespace!)).toBe(original);
  });

  mergeArtifactJson('migration-timings.json', timings);
});
