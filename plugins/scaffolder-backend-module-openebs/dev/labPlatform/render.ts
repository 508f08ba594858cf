/*
 * Renders the openebs-velero-platform template for the lab with the real
 * scaffolder's dry run (POST /api/scaffolder/v2/dry-run on an in-process
 * scaffolder backend carrying our module), and writes the files it returns
 * into OUT_DIR: the lab deploys the template's own output, not a copy.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/scaffolder-backend-module-openebs/dev/labPlatform/render.ts OUT_DIR
 *
 * Env (the lab's S3 and key, see docs/lab.md):
 *   LAB_S3_ENDPOINT    https://… endpoint Velero uses (HTTPS only, as the template demands)
 *   LAB_S3_CA_FILE     PEM of the lab CA that signed the S3 certificate
 *   LAB_S3_BUCKET      bucket (default openebs-backups)
 *   LAB_AGE_KEY_FILE   the lab cluster's age identity (Flux's sops-age key);
 *                      made on first use, its recipient encrypts the secret
 */
import { scaffolderDryRun } from '../../src/__testUtils__/scaffolderDryRun';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see docs/lab.md)`);
  return value;
}

/** The lab cluster's age key, made once: what Flux's sops-age Secret holds. */
async function labAgeRecipient(): Promise<string> {
  const file = required('LAB_AGE_KEY_FILE');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${await generateX25519Identity()}\n`, { mode: 0o600 });
  }
  return identityToRecipient(readFileSync(file, 'utf8').trim());
}

async function main() {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: render.ts OUT_DIR');
  const recipient = await labAgeRecipient();
  const template = parseDocument(
    readFileSync(
      resolve(
        __dirname,
        '../../../../templates/openebs-velero-platform/template.yaml',
      ),
      'utf8',
    ),
  ).toJS();

  const { res, files } = await scaffolderDryRun({
    template,
    values: {
      s3Url: required('LAB_S3_ENDPOINT'),
      bucket: process.env.LAB_S3_BUCKET || 'openebs-backups',
      caCert: readFileSync(required('LAB_S3_CA_FILE'), 'utf8'),
      ageRecipients: [recipient],
      // The Alerts page's windows, an hour by default: ten minutes here, so
      // the full lab's alert story sees these alerts fire within its run.
      unprotectedFor: '10m',
      unverifiedFor: '10m',
      // How late a schedule may be: the lab's backups take seconds, and the
      // alert story pauses a five-minute schedule to see it fire.
      scheduleGrace: '2m',
    },
    // A dry run never reads secrets (the S3 keys become placeholders); the
    // lab puts its own keys in when it deploys (docs/lab.md).
    secrets: {},
    config: { openebsScaffolder: { sopsAgeRecipients: [recipient] } },
  });
  const steps: Array<{ id: string; status: string }> = res.body.steps ?? [];
  const failed = steps.filter(s => s.status === 'failed');
  if (res.status !== 200 || failed.length > 0) {
    const log = (res.body.log ?? [])
      .map((l: any) => l.body?.message)
      .join('\n');
    throw new Error(
      `dry run of openebs-velero-platform failed (HTTP ${
        res.status
      }; steps ${failed.map(s => s.id).join(', ')}):\n${
        log || JSON.stringify(res.body)
      }`,
    );
  }
  for (const [path, content] of Object.entries(files)) {
    const target = resolve(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  process.stderr.write(
    `rendered ${Object.keys(files).length} files into ${outDir}\n`,
  );
}

// Exits explicitly: the stopped scaffolder leaves timers (its task worker's
// polling) that would keep node alive.
main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
