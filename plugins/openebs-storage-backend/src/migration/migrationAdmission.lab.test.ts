import { randomUUID } from 'crypto';
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';
import { buildCopyPod, MIGRATION_LABEL } from './copyPod';

/*
 * What the portal's own service account may create for a migration,
 * against the real kube-apiserver with deploy/backstage-rbac.yaml as
 * shipped: the copy pod the runner builds, and claims that are a
 * migration's or bound to a named volume; nothing else that a stolen token
 * could turn into a node's root (a host path, a privileged container, the
 * host's namespaces, another pod with a token). Each refusal leaves nothing
 * behind.
 */

jest.setTimeout(60_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const portal = new LabAdmin({ ...lab, adminToken: lab.backstageToken });
const namespace = `migrate-vap-${Math.random().toString(36).slice(2, 8)}`;
const id = randomUUID();

const status = (promise: Promise<unknown>) =>
  promise.then(
    () => 201,
    (error: any) => error.statusCode,
  );

function copyPod(name: string) {
  return buildCopyPod({
    migrationId: id,
    namespace,
    name,
    image: 'docker.io/library/busybox:latest',
    sourceClaim: 'data',
    targetClaim: 'data-openebs',
  });
}

function claim(name: string, extra: { labels?: object; volumeName?: string }) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels: extra.labels ?? {} },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'openebs-localpv-hostpath',
      resources: { requests: { storage: '1Gi' } },
      ...(extra.volumeName && { volumeName: extra.volumeName }),
    },
  };
}

beforeAll(async () => {
  await admin.create(fixtures.namespace(namespace));
});

afterAll(async () => {
  await admin.request('DELETE', `/api/v1/namespaces/${namespace}`);
});

it('admits the copy pod the runner builds and the claims a migration makes', async () => {
  expect(await status(portal.create(copyPod('copy')))).toBe(201);
  expect(
    await status(
      portal.create(claim('copy', { labels: { [MIGRATION_LABEL]: id } })),
    ),
  ).toBe(201);
  expect(
    await status(portal.create(claim('rebound', { volumeName: 'pv-x' }))),
  ).toBe(201);
});

it.each([
  ['without the migration label', (p: any) => delete p.metadata.labels],
  [
    'with a host path',
    (p: any) => p.spec.volumes.push({ name: 'host', hostPath: { path: '/' } }),
  ],
  [
    'privileged',
    (p: any) => (p.spec.containers[0].securityContext.privileged = true),
  ],
  ['in the host network', (p: any) => (p.spec.hostNetwork = true)],
  ['with a token', (p: any) => delete p.spec.automountServiceAccountToken],
])('refuses a pod %s', async (_what, change) => {
  const name = `bad-${Math.random().toString(36).slice(2, 8)}`;
  const pod = copyPod(name);
  change(pod);
  expect(await status(portal.create(pod))).toBe(403);
  expect(
    await admin.getOptional(`/api/v1/namespaces/${namespace}/pods/${name}`),
  ).toBe(undefined);
});

it('refuses a claim that is neither a copy claim nor bound to a named volume', async () => {
  expect(await status(portal.create(claim('plain', {})))).toBe(403);
  expect(
    await admin.getOptional(
      `/api/v1/namespaces/${namespace}/persistentvolumeclaims/plain`,
    ),
  ).toBe(undefined);
});
