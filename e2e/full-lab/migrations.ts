/*
 * What the migration stories share: a static `local` volume on the lab's
 * non-OpenEBS class (lab/platform/static-local-class.yaml) as a cluster
 * has one before it adopts OpenEBS, the migrations API as the entity's
 * owner calls it, and the clean-up of what a migration keeps (Retain).
 */
import { APIResponse, expect, Page } from '@playwright/test';
import type { VolumeMigration } from '@openebs-portal/plugin-openebs-storage-common';
import fs from 'node:fs';
import { BACKEND_URL, entityApi, guestToken } from '../portal';
import { kubectl, nodeEnv } from './fullLab';

export const TARGET_CLASS = 'openebs-localpv-hostpath';
export const MIGRATION_LABEL = 'openebs-portal.dev/migration';
const STATIC_ROOT = '/var/lib/openebs-lab-static';

/**
 * A `local` volume in a new directory of the lab's first node, on
 * lab-local-static, labelled with the run so that the clean-up finds it;
 * reserved for `claim` when given (a StatefulSet's claim, made later).
 */
export function staticLocalVolume(
  name: string,
  run: string,
  claim?: { namespace: string; name: string },
): object {
  const dir = `${STATIC_ROOT}/${name}`;
  fs.mkdirSync(dir, { recursive: true });
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: { 'e2e-run': run } },
    spec: {
      storageClassName: 'lab-local-static',
      capacity: { storage: '2Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      local: { path: dir },
      ...(claim && { claimRef: claim }),
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                {
                  key: 'kubernetes.io/hostname',
                  operator: 'In',
                  values: [nodeEnv('LAB_NODE_NAME')],
                },
              ],
            },
          ],
        },
      },
    },
  };
}

/** The entity's migrations endpoint, as the signed-in guest (its owner). */
export function migrationsApi(
  page: Page,
  entity: string,
  method: 'GET' | 'POST',
  path: string,
  data?: object,
): Promise<APIResponse> {
  return entityApi(page, entity, method, `/migrations${path}`, data);
}

/** Polls a migration until `state`; a failure shows its reason. */
export async function waitForMigration(
  page: Page,
  entity: string,
  id: string,
  state: VolumeMigration['state'],
): Promise<VolumeMigration> {
  let migration!: VolumeMigration;
  await expect
    .poll(
      async () => {
        const list = await (
          await migrationsApi(page, entity, 'GET', '')
        ).json();
        migration = list.migrations.find((m: VolumeMigration) => m.id === id);
        if (migration.state === 'failed') {
          throw new Error(`migration failed: ${migration.failureReason}`);
        }
        return migration.state;
      },
      { timeout: 300_000, intervals: [2_000] },
    )
    .toBe(state);
  return migration;
}

/**
 * The signed-in guest's notifications about a migration (the real
 * notifications backend; one per migration, updated in place): titles.
 */
export async function migrationNotifications(
  page: Page,
  migrationId: string,
): Promise<string[]> {
  const response = await page.request.get(
    `${BACKEND_URL}/api/notifications/notifications?topic=openebs-storage-migration&limit=100`,
    { headers: { Authorization: `Bearer ${await guestToken(page)}` } },
  );
  expect(response.ok(), await response.text()).toBe(true);
  const { notifications } = await response.json();
  return notifications
    .filter((n: any) => n.payload.scope === migrationId)
    .map((n: any) => n.payload.title);
}

/** Everything a migration would have created, anywhere. */
export function migrationObjects(): string {
  return kubectl([
    'get',
    'pvc,pod',
    '-A',
    '-l',
    MIGRATION_LABEL,
    '-o',
    'name',
  ]).trim();
}

/**
 * The story's namespaces, then the volumes its migrations kept (Retain)
 * and its static ones, with their directories on the node.
 */
export function removeMigrationLeftovers(namespaces: string[], run: string) {
  kubectl([
    'delete',
    'namespace',
    ...namespaces,
    '--ignore-not-found',
    '--wait=true',
    // Past the namespace controller's 5-minute resync, should a pod's
    // grace period have postponed its next look.
    '--timeout=360s',
  ]);
  const volumes = JSON.parse(kubectl(['get', 'pv', '-o', 'json'])).items.filter(
    (pv: any) =>
      pv.metadata.labels?.['e2e-run'] === run ||
      namespaces.includes(pv.spec.claimRef?.namespace),
  );
  for (const pv of volumes) {
    kubectl([
      'delete',
      'pv',
      pv.metadata.name,
      '--ignore-not-found',
      '--wait=false',
    ]);
    if (pv.spec.hostPath?.path)
      fs.rmSync(pv.spec.hostPath.path, { recursive: true, force: true });
    if (pv.spec.local?.path)
      fs.rmSync(pv.spec.local.path, { recursive: true, force: true });
  }
}
