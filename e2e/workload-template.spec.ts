/*
 * The story of issue 4: a developer fills the openebs-workload template in
 * Chromium, reviews it, creates it, and the run opens a pull request on the
 * cluster repository (the lab's Gitea on loopback) and registers the new
 * component's location on main. Then, outside the browser, the published
 * branch is cloned and checked: the manifests pass our validator, the Secret
 * is SOPS-encrypted for the recipient given in the form, and its value is
 * nowhere in clear text (not in the repository, not in the run's log).
 * Merged, with its branch deleted, the component is in the catalog, read
 * from main.
 */
import { expect, test } from '@playwright/test';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import {
  decryptSopsYaml,
  validateManifests,
} from '@openebs-portal/plugin-scaffolder-backend-module-openebs/testUtils';
import { cloneBranch, giteaApi, listTree, readGiteaEnv } from './gitea';
import { fillWorkloadForm, WorkloadFormValues } from './workloadForm';
import {
  detachFromDevServer,
  keepScreenshot,
  signInAsGuest,
  waitForComponent,
} from './portal';

const backendUrl = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';

// What the developer types. The secret value is what must never leak.
const W: WorkloadFormValues = {
  name: 'ledger',
  description: 'Ledger of the shop',
  owner: 'team-shop',
  system: 'storefront',
  namespace: 'shop',
  image: 'ghcr.io/example/ledger:2.3.1',
  storageClassLabel:
    'OpenEBS LocalPV hostpath (default; data on one node, no snapshots)',
  size: '3Gi',
  schedule: '15 1 * * *',
  ttl: '336h0m0s',
  secretName: 'ledger-env',
  secretKey: 'DB_PASSWORD',
  secretValue: 'e2e-s3cr3t-Value-7Qx',
};
const BRANCH = `openebs-workload-${W.namespace}-${W.name}`;

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

/** The guest's Backstage token, as the browser gets it. */
async function guestToken(): Promise<string> {
  const res = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
    method: 'POST',
  });
  expect(res.ok).toBe(true);
  return (await res.json()).backstageIdentity.token;
}

test('a workload from the template becomes a pull request and a catalog entity', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const gitea = readGiteaEnv();
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);

  await signInAsGuest(page);

  await fillWorkloadForm(page, W, gitea, recipient);

  await test.step('review shows the values, not the secret', async () => {
    for (const v of [
      W.name,
      W.namespace,
      W.image,
      W.size,
      W.schedule,
      W.ttl,
      W.secretName,
    ]) {
      await expect(
        page.getByRole('cell', { name: v, exact: true }),
      ).toBeVisible();
    }
    for (const v of [
      'group:default/team-shop',
      'system:default/storefront',
      recipient,
      `${gitea.host}?owner=${gitea.owner}&repo=${gitea.repo}`,
    ]) {
      await expect(
        page.getByRole('cell', { name: v, exact: true }),
      ).toBeVisible();
    }
    // The secret is masked on the review page.
    const valueRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'Value', exact: true }) });
    await expect(valueRow.getByRole('cell').last()).toHaveText('******');
    await expect(page.getByText(W.secretValue)).toHaveCount(0);
    await keepScreenshot(page, 'workload-review.png');
    await page.getByRole('button', { name: 'Create' }).click();
  });

  let taskId = '';
  await test.step('the run completes, with links to the PR and the entity', async () => {
    await expect(page).toHaveURL(/\/create\/tasks\/[^/]+$/);
    taskId = page.url().split('/').pop()!;
    const prLink = page.getByRole('link', { name: 'Pull request' });
    await expect(prLink).toBeVisible({ timeout: 180_000 });
    const href = await prLink.getAttribute('href');
    expect(href).toMatch(
      new RegExp(`^${gitea.url}/${gitea.owner}/${gitea.repo}/pulls/\\d+$`),
    );
    // The component is registered from main: the link works once merged.
    const entityLink = page.getByRole('link', {
      name: 'Open in catalog (once merged)',
    });
    await expect(entityLink).toHaveAttribute(
      'href',
      `/catalog/default/component/${W.name}`,
    );
    await keepScreenshot(page, 'workload-completed.png');
  });

  await test.step('Gitea has the pull request from the branch into main', async () => {
    const pulls = await giteaApi(
      gitea,
      `/repos/${gitea.owner}/${gitea.repo}/pulls?state=open`,
    );
    const pr = pulls.find((p: any) => p.head.ref === BRANCH);
    expect(pr).toMatchObject({
      base: { ref: 'main' },
      title: `Add ${W.namespace}/${W.name} on openebs-localpv-hostpath`,
    });
  });

  await test.step('the published tree validates; the secret is encrypted', async () => {
    const dir = cloneBranch(gitea, BRANCH, test.info().outputPath('clone'));
    const files = listTree(dir);
    const app = `kubernetes/apps/${W.namespace}/${W.name}`;
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        `${app}/catalog-info.yaml`,
        `${app}/ks.yaml`,
        `${app}/app/statefulset.yaml`,
        `${app}/app/${W.secretName}.sops.yaml`,
        `${app}/backup/schedule.yaml`,
      ]),
    );
    const manifests = files
      .filter(f => f.startsWith('kubernetes/'))
      .map(f => ({
        path: f,
        content: fs.readFileSync(path.join(dir, f), 'utf8'),
      }));
    const problems = validateManifests(manifests, {
      allowCustomWorkloadSchedules: true,
    });
    expect(problems).toEqual([]);

    // The schedule and retention typed in the form.
    const schedule = parseDocument(
      fs.readFileSync(path.join(dir, `${app}/backup/schedule.yaml`), 'utf8'),
    ).toJS();
    expect(schedule.spec).toMatchObject({
      schedule: W.schedule,
      template: { ttl: W.ttl },
    });

    // SOPS: the value decrypts with the recipient's identity only ...
    const sopsFile = fs.readFileSync(
      path.join(dir, `${app}/app/${W.secretName}.sops.yaml`),
      'utf8',
    );
    expect(parseDocument(sopsFile).toJS().sops.age[0].recipient).toBe(
      recipient,
    );
    const secret = await decryptSopsYaml(sopsFile, [identity]);
    expect(secret.stringData).toEqual({
      [W.secretKey]: W.secretValue,
    });
    // ... and is nowhere in clear text in the repository.
    for (const f of files) {
      expect(fs.readFileSync(path.join(dir, f), 'utf8')).not.toContain(
        W.secretValue,
      );
    }
  });

  await test.step("the run's log never shows the secret", async () => {
    const res = await fetch(
      `${backendUrl}/api/scaffolder/v2/tasks/${taskId}/events`,
      { headers: { Authorization: `Bearer ${await guestToken()}` } },
    );
    expect(res.ok).toBe(true);
    const log = await res.text();
    expect(log).toContain('Opened pull request');
    expect(log).not.toContain(W.secretValue);
    expect(log).not.toContain(gitea.token);
  });

  await test.step('merged and its branch deleted, the component is read from main', async () => {
    const pulls = await giteaApi(
      gitea,
      `/repos/${gitea.owner}/${gitea.repo}/pulls?state=open`,
    );
    const pr = pulls.find((p: any) => p.head.ref === BRANCH);
    // Not merged yet: main has no catalog-info.yaml, the catalog no entity.
    await expect(waitForComponent(page, W.name, 8_000)).rejects.toThrow();
    await giteaApi(
      gitea,
      `/repos/${gitea.owner}/${gitea.repo}/pulls/${pr.number}/merge`,
      { Do: 'merge', delete_branch_after_merge: true },
    );
    await expect(
      giteaApi(
        gitea,
        `/repos/${gitea.owner}/${gitea.repo}/branches/${encodeURIComponent(
          BRANCH,
        )}`,
      ),
    ).rejects.toThrow(/answered 404/);
    // The link of the run leads to it now (the lab's catalog reads its
    // locations every few seconds, app-config.gitea.yaml).
    await waitForComponent(page, W.name);
    const res = await fetch(
      `${backendUrl}/api/catalog/entities/by-name/component/default/${W.name}`,
      { headers: { Authorization: `Bearer ${await guestToken()}` } },
    );
    const body = await res.text();
    expect({ status: res.status, body: res.ok ? '' : body }).toEqual({
      status: 200,
      body: '',
    });
    const entity = JSON.parse(body);
    expect(
      entity.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(
      `url:${gitea.url}/${gitea.owner}/${gitea.repo}/src/branch/main/kubernetes/apps/${W.namespace}/${W.name}/catalog-info.yaml`,
    );
  });
});
