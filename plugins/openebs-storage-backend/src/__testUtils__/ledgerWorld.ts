import { Entity } from '@backstage/catalog-model';
import { randomUUID } from 'crypto';
import { fixtures, LabAdmin } from '@openebs-portal/lab-testkit';

/**
 * A StatefulSet `ledger` with two pods and two claims, one on a live node
 * and one on a dead one, and a backup of both, in a namespace of its own
 * (`ledger-<random>`), for the in-place restore lab tests. The API-only lab
 * runs no controllers: the tests play them.
 */
export function ledgerWorld(admin: LabAdmin) {
  const run = Math.random().toString(36).slice(2, 8);
  const ns = `ledger-${run}`;
  const deadNode = `lab-gone-${run}`;
  const ids = { 'backstage.io/kubernetes-id': `ledger-${run}` };
  const backupName = `ledger-nightly-${run}`;
  const CLAIMS = ['data-ledger-0', 'data-ledger-1'];

  const ledger: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ledger',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': `ledger-${run}`,
        'backstage.io/kubernetes-namespace': ns,
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/team-ledger',
      lifecycle: 'production',
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-ledger' }],
  };
  const restoresPath =
    '/api/openebs-storage/entities/component/default/ledger/restores';

  const statefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { namespace: ns, name: 'ledger', labels: ids },
    spec: {
      replicas: 2,
      serviceName: 'ledger',
      selector: { matchLabels: ids },
      template: {
        metadata: { labels: ids },
        spec: { containers: [{ name: 'main', image: 'busybox' }] },
      },
    },
  };

  /** A pod of the StatefulSet, as its controller would make it. */
  function ledgerPod(ordinal: number, owner: any, nodeName?: string) {
    const pod = fixtures.pod({
      namespace: ns,
      name: `ledger-${ordinal}`,
      labels: ids,
      claims: [`data-ledger-${ordinal}`],
      nodeName,
    });
    return {
      ...pod,
      metadata: {
        ...pod.metadata,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            name: 'ledger',
            uid: owner.metadata.uid,
            controller: true,
          },
        ],
      },
    };
  }

  /** An admin's in-place request for both claims, as the dialog sends it. */
  const inPlaceBody = () => ({
    requestId: randomUUID(),
    cluster: 'lab',
    backupName,
    namespace: ns,
    volumes: CLAIMS,
    mode: 'in-place',
    confirmation: ns,
  });

  const claimPath = (name: string) =>
    `/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`;
  const podPath = (name: string) => `/api/v1/namespaces/${ns}/pods/${name}`;
  const setPath = `/apis/apps/v1/namespaces/${ns}/statefulsets/ledger`;

  /** Claims on the live node (ledger-0) and on the dead one (ledger-1). */
  async function createWorld() {
    for (const manifest of fixtures.storageClasses())
      await admin.apply(manifest);
    await admin.apply(fixtures.node('lab-node-1'));
    await admin.apply(fixtures.node(deadNode, 'Unknown'));
    await admin.apply(
      fixtures.storageLocation({ name: 'default', phase: 'Available' }),
    );
    await admin.apply(fixtures.namespace(ns, 'group:default/team-ledger'));
    const set = await admin.apply(statefulSet);
    const uids: Record<string, string> = {};
    for (const [ordinal, node] of [
      [0, 'lab-node-1'],
      [1, deadNode],
    ] as const) {
      const { claim, volume } = fixtures.claim({
        namespace: ns,
        name: `data-ledger-${ordinal}`,
        storageClass: 'openebs-localpv-hostpath',
        labels: ids,
        node,
      });
      uids[claim.metadata.name] = (await admin.apply(claim)).metadata.uid;
      await admin.apply(volume);
    }
    // ledger-0 has no node: deleting it (as the controller would) is at once
    // on a lab without kubelets. ledger-1 sits on the dead node.
    await admin.apply(ledgerPod(0, set));
    await admin.apply(ledgerPod(1, set, deadNode));
    const backup = await admin.apply(
      fixtures.backup({
        name: backupName,
        namespaces: [ns],
        phase: 'Completed',
        startedHoursAgo: 2,
        durationSeconds: 60,
      }),
    );
    for (const [ordinal, claimName] of CLAIMS.entries()) {
      await admin.apply(
        fixtures.podVolumeBackup({
          name: `${backupName}-${ordinal}`,
          backupName,
          backupUid: backup.metadata.uid,
          claimUid: uids[claimName],
          claimName,
          podNamespace: ns,
          podName: `ledger-${ordinal}`,
          phase: 'Completed',
          startedHoursAgo: 2,
          durationSeconds: 30,
        }),
      );
    }
  }

  return {
    ns,
    deadNode,
    ids,
    backupName,
    CLAIMS,
    entity: ledger,
    restoresPath,
    statefulSet,
    ledgerPod,
    inPlaceBody,
    claimPath,
    podPath,
    setPath,
    create: createWorld,
  };
}
