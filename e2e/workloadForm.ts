/*
 * The openebs-workload template's form, filled as a developer fills it in
 * Chromium: shared by the story that checks the pull request
 * (workload-template.spec.ts) and the one that merges it and watches Flux
 * apply it on the full lab (full-lab/gitops.spec.ts).
 */
import { expect, Page, test } from '@playwright/test';
import { GiteaEnv } from './gitea';

/** What the developer types. */
export interface WorkloadFormValues {
  name: string;
  description: string;
  owner: string;
  system: string;
  namespace: string;
  image: string;
  storageClassLabel: string;
  size: string;
  /** Left at the plan's defaults when absent. */
  schedule?: string;
  ttl?: string;
  secretName: string;
  secretKey: string;
  secretValue: string;
}

/** A text field by its label, filled from scratch. */
export async function fill(page: Page, label: string | RegExp, value: string) {
  const field = page.getByRole('textbox', { name: label });
  await field.fill(value);
}

/** An entity picker (Autocomplete): type, then pick the option. */
export async function pickEntity(page: Page, label: string, option: string) {
  // The combobox's input carries the label.
  const box = page.getByRole('textbox', { name: label, exact: true });
  await box.click();
  await box.fill(option);
  await page.getByRole('option', { name: option, exact: true }).click();
}

export async function next(page: Page) {
  await page.getByRole('button', { name: 'Next' }).click();
}

/**
 * From the template list to the review page: every step of the form, the
 * repository being the lab's Gitea.
 */
export async function fillWorkloadForm(
  page: Page,
  W: WorkloadFormValues,
  gitea: GiteaEnv,
  recipient: string,
) {
  await test.step('choose the OpenEBS workload template', async () => {
    await page.goto('/create');
    // The innermost block holding both the template's title and a Choose
    // button: its card.
    const card = page
      .locator('div')
      .filter({
        has: page.getByRole('heading', {
          name: 'Workload with OpenEBS storage and Velero backups',
        }),
      })
      .filter({ has: page.getByRole('button', { name: 'Choose' }) })
      .last();
    await card.getByRole('button', { name: 'Choose' }).click();
    await expect(
      page.getByRole('textbox', { name: 'Name', exact: true }),
    ).toBeVisible();
  });

  await test.step('Workload: name, description, owner, system', async () => {
    await fill(page, 'Name', W.name);
    await fill(page, 'Description', W.description);
    await pickEntity(page, 'Owner', W.owner);
    await pickEntity(page, 'System', W.system);
    await next(page);
  });

  await test.step('Kubernetes: namespace, a StatefulSet of one image', async () => {
    await fill(page, 'Namespace', W.namespace);
    await page.getByLabel('Deployed as').click();
    await page
      .getByRole('option', { name: 'A StatefulSet of one image' })
      .click();
    await fill(page, /^Image/, W.image);
    await next(page);
  });

  await test.step('Storage and backup: class, size, schedule, retention', async () => {
    await page.getByLabel('StorageClass').click();
    await page.getByRole('option', { name: W.storageClassLabel }).click();
    await fill(page, 'Size', W.size);
    if (W.schedule) await fill(page, /^Backup schedule/, W.schedule);
    if (W.ttl) await fill(page, /^Keep backups for/, W.ttl);
    await next(page);
  });

  await test.step('Secret: one value, encrypted for an age recipient', async () => {
    await fill(page, 'Secret name', W.secretName);
    await fill(page, 'Key in the Secret', W.secretKey);
    await page.getByLabel('Value').fill(W.secretValue);
    await page.getByRole('button', { name: 'Add Item' }).click();
    await page
      .getByRole('textbox', { name: /^Recipient \(age1/ })
      .fill(recipient);
    await next(page);
  });

  await test.step('Repository: the lab Gitea cluster repository', async () => {
    await page.getByRole('checkbox', { name: /Open a pull request/ }).check();
    await pickGiteaRepository(page, gitea);
    await page.getByRole('button', { name: 'Review' }).click();
  });
}

/** A template's repository picker set to the lab Gitea's cluster repository. */
export async function pickGiteaRepository(page: Page, gitea: GiteaEnv) {
  // Offered because app-config.gitea.yaml made it an integration.
  await page
    .getByTestId('host-select')
    .getByRole('combobox')
    .selectOption(gitea.host);
  await fill(page, 'Owner', gitea.owner);
  // A free-text autocomplete: it keeps what was typed when it loses focus.
  await fill(page, 'Repository', gitea.repo);
  await page.getByRole('textbox', { name: 'Repository' }).press('Tab');
  await expect(
    page.getByText('Incomplete repository location provided'),
  ).toHaveCount(0);
}
