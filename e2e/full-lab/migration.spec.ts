/*
 * The migration story on the full lab: `legacy-uploads` (team-shop's
 * component in examples/entities.yaml) runs a Deployment whose claim is on
 * lab-local-static, a class that is not OpenEBS (a static `local` volume in
 * a directory of lab-node-1, lab/platform/static-local-class.yaml). Its
 * owner moves the claim onto openebs-localpv-hostpath from the portal: the
 * Deployment is stopped, a copy pod copies the volume and compares the
 * checksummed manifests of both sides, the claim is bound to the new
 * volume, the Deployment comes back. The proof's own manifest
 * (lab/proof/manifest.sh, compare.sh) then compares the data; the rollback
 * brings the old volume back unchanged; a second migration is confirmed.
 * Before any of it, the refusals: a namespace recorded as another team's
 * (the entity's label on a workload there), a target class that is not
 * OpenEBS, a field the server does not take — each creates nothing.
 */
import { expect, Page, test } from '@playwright/test';
import type { VolumeMigration } from '@openebs-portal/plugin-openebs-storage-common';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  detachFromDevServer,
  keepScreenshot,
  mergeArtifactJson,
  openStorageTab,
  signInAsGuest,
  volumeRow,
} from '../portal';
import { applyList, kubectl, nodeEnv } from './fullLab';
import {
  migrationObjects,
  migrationsApi,
  removeMigrationLeftovers,
  staticLocalVolume,
  TARGET_CLASS,
  waitForMigration,
} from './migrations';
import { compareManifests, proofScriptIn } from './shop';

const ENTITY = 'legacy-uploads';
const OWNED = 'legacy-uploads';
const FOREIGN = 'legacy-uploads-bank';
const CLAIM = 'uploads';
const SET = '/data/set';
const run = Date.now().toString(36);

/** The namespace, its static volume and claim, and the Deployment using it. */
function legacyWorkload(namespace: string, owner: string) {
  const labels = { 'backstage.io/kubernetes-id': ENTITY, app: 'uploads' };
  applyList([
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        annotations: { 'openebs-portal.dev/owner': owner },
      },
    },
    staticLocalVolume(`${namespace}-${run}`, run),
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: CLAIM, namespace, labels },
      spec: {
        storageClassName: 'lab-local-static',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '2Gi' } },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'uploads', namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { app: 'uploads' } },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'app',
                image: nodeEnv('LAB_BUSYBOX_IMAGE'),
                command: ['sleep', '86400'],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: CLAIM } },
            ],
          },
        },
      },
    },
  ]);
}

/** The Deployment's pod once Ready (after a migration step: a new one). */
function uploadsPod(namespace: string): string {
  kubectl([
    '-n',
    namespace,
    'rollout',
    'status',
    'deployment/uploads',
    '--timeout=180s',
  ]);
  kubectl([
    '-n',
    namespace,
    'wait',
    '--for=condition=Ready',
    'pod',
    '-l',
    'app=uploads',
    '--timeout=180s',
  ]);
  return kubectl([
    '-n',
    namespace,
    'get',
    'pod',
    '-l',
    'app=uploads',
    '-o',
    'jsonpath={.items[0].metadata.name}',
  ]);
}

function manifestOf(namespace: string): string {
  return proofScriptIn(
    { namespace, pod: uploadsPod(namespace), container: 'app' },
    'manifest.sh',
    SET,
  );
}

function claimField(namespace: string, path: string): string {
  return kubectl([
    '-n',
    namespace,
    'get',
    'pvc',
    CLAIM,
    '-o',
    `jsonpath={${path}}`,
  ]);
}

function volumeField(name: string, path: string): string {
  return kubectl(['get', 'pv', name, '-o', `jsonpath={${path}}`]);
}

const api = (page: Page, method: 'GET' | 'POST', path: string, data?: object) =>
  migrationsApi(page, ENTITY, method, path, data);

function migrationInput(namespace: string, targetClass = TARGET_CLASS) {
  return {
    requestId: randomUUID(),
    cluster: 'lab',
    namespace,
    claim: CLAIM,
    targetClass,
  };
}

const waitForState = (
  page: Page,
  id: string,
  state: VolumeMigration['state'],
) => waitForMigration(page, ENTITY, id, state);

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

test.afterAll(() => removeMigrationLeftovers([OWNED, FOREIGN], run));

test('an owner moves a volume onto OpenEBS, rolls it back unchanged, and moves it again', async ({
  page,
}, testInfo) => {
  test.setTimeout(900_000);
  const original = testInfo.outputPath('original.manifest');
  const timings: Record<string, number> = {};

  await test.step('a workload on a class that is not OpenEBS, with the proof dataset', async () => {
    legacyWorkload(OWNED, 'group:default/team-shop');
    legacyWorkload(FOREIGN, 'group:default/team-bank');
    const pod = uploadsPod(OWNED);
    proofScriptIn(
      { namespace: OWNED, pod, container: 'app' },
      'dataset.sh',
      SET,
      '8',
      '300',
    );
    fs.writeFileSync(original, manifestOf(OWNED));
    uploadsPod(FOREIGN);
  });

  await signInAsGuest(page);

  await test.step('refusals create nothing', async () => {
    const foreignVolume = claimField(FOREIGN, '.spec.volumeName');
    const foreign = await api(page, 'POST', '', migrationInput(FOREIGN));
    expect(foreign.status()).toBe(403);
    expect((await foreign.json()).error.message).toContain(
      'recorded as group:default/team-bank',
    );
    const notOpenebs = await api(
      page,
      'POST',
      '',
      migrationInput(OWNED, 'lab-local-static'),
    );
    expect(notOpenebs.status()).toBe(403);
    const extra = await api(page, 'POST', '', {
      ...migrationInput(OWNED),
      image: 'attacker/image',
    });
    expect(extra.status()).toBe(400);
    expect(migrationObjects()).toBe('');
    expect(claimField(FOREIGN, '.spec.volumeName')).toBe(foreignVolume);
    expect(
      kubectl([
        '-n',
        FOREIGN,
        'get',
        'deployment',
        'uploads',
        '-o',
        'jsonpath={.spec.replicas}',
      ]),
    ).toBe('1');
    expect((await (await api(page, 'GET', '')).json()).migrations).toEqual([]);
  });

  const oldVolume = claimField(OWNED, '.spec.volumeName');
  let first!: VolumeMigration;
  await test.step('the owner migrates the claim from the tab; the data is equal on OpenEBS', async () => {
    await openStorageTab(page, ENTITY);
    // The team-bank namespace's volume is withheld, not offered.
    await expect(volumeRow(page, CLAIM)).toHaveCount(1);
    await volumeRow(page, CLAIM)
      .getByRole('button', { name: `Migrate ${OWNED}/${CLAIM} to OpenEBS` })
      .click();
    const dialog = page.getByRole('dialog', {
      name: `Migrate ${OWNED}/${CLAIM} to OpenEBS`,
    });
    await dialog.getByLabel('OpenEBS storage class').click();
    await page.getByRole('option', { name: TARGET_CLASS, exact: true }).click();
    const requested = page.waitForResponse(
      r => r.url().endsWith('/migrations') && r.request().method() === 'POST',
    );
    await dialog.getByRole('button', { name: 'Migrate', exact: true }).click();
    const response = await requested;
    expect(response.status()).toBe(201);
    first = await response.json();
    // The same request id again is the same migration, not a second one.
    const again = await api(page, 'POST', '', {
      requestId: first.requestId,
      cluster: first.cluster,
      namespace: OWNED,
      claim: CLAIM,
      targetClass: TARGET_CLASS,
    });
    expect(again.status()).toBe(200);
    expect((await again.json()).id).toBe(first.id);
    expect(first.workloads).toEqual([{ kind: 'Deployment', name: 'uploads' }]);
    expect(first.node).toBe(nodeEnv('LAB_NODE_NAME'));

    first = await waitForState(page, first.id, 'awaiting-confirmation');
    expect(first.steps.map(s => s.state)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(first.downtimeSeconds).toBeLessThan(300);
    expect(first.manifest!.files).toBeGreaterThan(300);
    timings.migrationDowntimeSeconds = first.downtimeSeconds!;
    timings.migratedBytes = first.manifest!.bytes;
    timings.migratedFiles = first.manifest!.files;

    expect(claimField(OWNED, '.spec.storageClassName')).toBe(TARGET_CLASS);
    expect(claimField(OWNED, '.spec.volumeName')).toBe(first.target!.name);
    expect(volumeField(oldVolume, '.status.phase')).toBe('Released');
    expect(volumeField(oldVolume, '.spec.persistentVolumeReclaimPolicy')).toBe(
      'Retain',
    );
    const migrated = testInfo.outputPath('migrated.manifest');
    fs.writeFileSync(migrated, manifestOf(OWNED));
    // BusyBox's cp keeps hard links but writes a sparse file's zeros.
    testInfo.annotations.push({
      type: 'migrated',
      description: compareManifests(original, migrated),
    });
    expect(migrationObjects()).toBe('');
    const migrations = page.getByRole('table', { name: 'Migrations' });
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(migrations).toContainText(
        'on the new volume, old one kept',
        {
          timeout: 5_000,
        },
      );
    }).toPass({ timeout: 60_000 });
    await expect(volumeRow(page, CLAIM)).toContainText(TARGET_CLASS);
    await keepScreenshot(page, 'migration-awaiting-confirmation.png');

    // The migration's own runbook: the commands back, with the real names.
    await migrations.getByRole('button', { name: 'Runbook' }).click();
    const runbook = page.getByRole('dialog', {
      name: `Runbook of the migration of ${OWNED}/${CLAIM}`,
    });
    await expect(runbook).toContainText(
      `ns=${OWNED} claim=${CLAIM} pv=${oldVolume}`,
    );
    await expect(runbook).toContainText(
      `kubectl -n ${OWNED} scale deployment/uploads --replicas=1`,
    );
    await keepScreenshot(page, 'migration-runbook.png');
    await runbook.getByRole('button', { name: 'Close' }).click();
  });

  await test.step('a write on the new volume, then the rollback brings the old one back unchanged', async () => {
    kubectl([
      '-n',
      OWNED,
      'exec',
      uploadsPod(OWNED),
      '--',
      'sh',
      '-c',
      `echo after > ${SET}/written-after-migration`,
    ]);
    await page.getByRole('button', { name: 'Roll back' }).click();
    const rolledBack = await waitForState(page, first.id, 'rolled-back');
    expect(rolledBack.rollbackVerified!.sha256).toBe(first.manifest!.sha256);
    expect(rolledBack.rollbackDowntimeSeconds).toBeLessThan(300);
    timings.rollbackDowntimeSeconds = rolledBack.rollbackDowntimeSeconds!;
    expect(claimField(OWNED, '.spec.volumeName')).toBe(oldVolume);
    expect(claimField(OWNED, '.spec.storageClassName')).toBe(
      'lab-local-static',
    );
    const back = testInfo.outputPath('rolled-back.manifest');
    fs.writeFileSync(back, manifestOf(OWNED));
    expect(fs.readFileSync(back, 'utf8')).toBe(
      fs.readFileSync(original, 'utf8'),
    );
    // The new volume is kept, Released: nothing written there is lost.
    expect(
      volumeField(first.target!.name, '.spec.persistentVolumeReclaimPolicy'),
    ).toBe('Retain');
  });

  await test.step('migrated again and confirmed: the volumes get their reclaim policies back', async () => {
    const response = await api(page, 'POST', '', migrationInput(OWNED));
    expect(response.status()).toBe(201);
    const second = await waitForState(
      page,
      (
        await response.json()
      ).id,
      'awaiting-confirmation',
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    const decided = page.waitForResponse(r => r.url().endsWith('/confirm'));
    await page.getByRole('button', { name: 'Keep the new volume' }).click();
    expect((await (await decided).json()).state).toBe('confirmed');
    await expect(
      page.getByRole('table', { name: 'Migrations' }).getByRole('row'),
    ).toHaveCount(3);
    await keepScreenshot(page, 'migration-confirmed.png');
    expect(
      volumeField(second.target!.name, '.spec.persistentVolumeReclaimPolicy'),
    ).toBe(second.target!.reclaimPolicy);
    const confirmed = testInfo.outputPath('confirmed.manifest');
    fs.writeFileSync(confirmed, manifestOf(OWNED));
    compareManifests(original, confirmed);
    // A decided migration cannot be decided again.
    expect((await api(page, 'POST', `/${second.id}/rollback`)).status()).toBe(
      409,
    );

    // The claim's manifest in Git: the rolled-back migration offers no
    // change, the kept one opens the scaffolder's claim-class template (the
    // plugin's external route, bound by its default target) filled in.
    await page.getByRole('button', { name: 'Change in Git…' }).click();
    await expect(page).toHaveURL(
      /\/create\/templates\/default\/openebs-claim-class\?formData=/,
    );
    for (const [field, value] of [
      ['Namespace', OWNED],
      ['Claim', CLAIM],
      ['Its class now', TARGET_CLASS],
      ['Its volume now', second.target!.name],
    ]) {
      await expect(
        page.getByRole('textbox', { name: new RegExp(`^${field}`) }),
      ).toHaveValue(value);
    }
    await keepScreenshot(page, 'migration-claim-class-template.png');
  });

  mergeArtifactJson('migration-timings.json', timings);
});
