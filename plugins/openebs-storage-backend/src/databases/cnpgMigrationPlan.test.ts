import { parse } from 'yaml';
import { planCnpgMigration } from './cnpgMigrationPlan';

/** A Cluster as an owner runs it: archiving through the plugin, not on OpenEBS. */
const orders = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: {
    name: 'orders',
    namespace: 'shop',
    labels: { 'backstage.io/kubernetes-id': 'shop' },
    uid: 'u-1',
    resourceVersion: '42',
  },
  spec: {
    instances: 2,
    imageName: 'ghcr.io/cloudnative-pg/postgresql:15',
    inheritedMetadata: { labels: { 'backstage.io/kubernetes-id': 'shop' } },
    postgresql: { parameters: { max_connections: '200' } },
    storage: { size: '20Gi', storageClass: 'standard' },
    walStorage: { size: '5Gi', storageClass: 'standard' },
    bootstrap: { initdb: { database: 'shop', owner: 'shop' } },
    plugins: [
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        parameters: { barmanObjectName: 'archive' },
      },
    ],
  },
  status: { phase: 'Cluster in healthy state' },
};

describe('planCnpgMigration', () => {
  const plan = planCnpgMigration(orders, {
    storageClass: 'openebs-localpv-hostpath',
  });
  const replica = parse(plan.replicaCluster);
  const patch = parse(plan.existingPatch);

  it('makes the new Cluster from the existing one on the OpenEBS class, following it, with its settings, credentials and certificates', () => {
    expect(plan.target).toEqual({
      name: 'orders-openebs',
      storageClass: 'openebs-localpv-hostpath',
    });
    expect(replica.metadata).toEqual({
      name: 'orders-openebs',
      namespace: 'shop',
      labels: { 'backstage.io/kubernetes-id': 'shop' },
    });
    expect(replica.status).toBeUndefined();
    expect(replica.spec).toMatchObject({
      instances: 2,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:15',
      inheritedMetadata: { labels: { 'backstage.io/kubernetes-id': 'shop' } },
      postgresql: { parameters: { max_connections: '200' } },
      storage: { size: '20Gi', storageClass: 'openebs-localpv-hostpath' },
      walStorage: { size: '5Gi', storageClass: 'openebs-localpv-hostpath' },
      bootstrap: {
        pg_basebackup: {
          source: 'orders',
          database: 'shop',
          owner: 'shop',
          secret: { name: 'orders-app' },
        },
      },
      certificates: {
        clientCASecret: 'orders-ca',
        replicationTLSSecret: 'orders-replication',
      },
      replica: { primary: 'orders', source: 'orders' },
    });
    // Archiving goes on in the same store, in its own folder.
    expect(replica.spec.plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        parameters: {
          barmanObjectName: 'archive',
          serverName: 'orders-openebs',
        },
      },
    ]);
  });

  it('tells the existing Cluster of the new one, each reaching the other with the replication certificate and the other’s CA', () => {
    expect(patch).toEqual({
      spec: {
        replica: { primary: 'orders', source: 'orders-openebs' },
        externalClusters: replica.spec.externalClusters,
      },
    });
    expect(replica.spec.externalClusters).toEqual([
      expect.objectContaining({
        name: 'orders',
        connectionParameters: {
          host: 'orders-rw',
          user: 'streaming_replica',
          sslmode: 'verify-full',
          dbname: 'postgres',
        },
        sslCert: { name: 'orders-replication', key: 'tls.crt' },
        sslRootCert: { name: 'orders-ca', key: 'ca.crt' },
      }),
      expect.objectContaining({
        name: 'orders-openebs',
        sslCert: { name: 'orders-replication', key: 'tls.crt' },
        sslRootCert: { name: 'orders-openebs-ca', key: 'ca.crt' },
      }),
    ]);
  });

  it('lists the switchover: demote, read the token, promote with it', () => {
    expect(plan.switchover.map(s => s.command)).toEqual([
      `kubectl -n shop patch clusters.postgresql.cnpg.io orders --type=merge -p '{"spec":{"replica":{"primary":"orders-openebs","source":"orders-openebs","promotionToken":null}}}'`,
      `kubectl -n shop get clusters.postgresql.cnpg.io orders -o jsonpath='{.status.demotionToken}'`,
      `kubectl -n shop patch clusters.postgresql.cnpg.io orders-openebs --type=merge -p '{"spec":{"replica":{"primary":"orders-openebs","source":"orders","promotionToken":"<token>"}}}'`,
    ]);
  });

  it('lists the rollback: the same hand-over back to the existing Cluster', () => {
    expect(plan.rollback.map(s => s.command)).toEqual([
      `kubectl -n shop patch clusters.postgresql.cnpg.io orders-openebs --type=merge -p '{"spec":{"replica":{"primary":"orders","source":"orders","promotionToken":null}}}'`,
      `kubectl -n shop get clusters.postgresql.cnpg.io orders-openebs -o jsonpath='{.status.demotionToken}'`,
      `kubectl -n shop patch clusters.postgresql.cnpg.io orders --type=merge -p '{"spec":{"replica":{"primary":"orders","source":"orders-openebs","promotionToken":"<token>"}}}'`,
    ]);
  });

  it('keeps the client CA, replication certificate and external clusters the owner set, not the server certificate', () => {
    const custom = planCnpgMigration(
      {
        ...orders,
        spec: {
          ...orders.spec,
          certificates: {
            serverCASecret: 'my-server-ca',
            clientCASecret: 'my-client-ca',
            replicationTLSSecret: 'my-replication',
          },
          externalClusters: [{ name: 'analytics-source' }],
        },
      },
      { storageClass: 'openebs-localpv-hostpath', name: 'orders-2' },
    );
    const spec = parse(custom.replicaCluster).spec;
    // Not the server's: its certificate names the old Cluster's hosts.
    expect(spec.certificates).toEqual({
      clientCASecret: 'my-client-ca',
      replicationTLSSecret: 'my-replication',
    });
    expect(spec.externalClusters.map((c: any) => c.name)).toEqual([
      'analytics-source',
      'orders',
      'orders-2',
    ]);
    expect(spec.externalClusters[1].sslRootCert.name).toBe('my-server-ca');
    expect(spec.externalClusters[1].sslKey.name).toBe('my-replication');
  });

  it('refuses a Cluster that follows another, one on a pvcTemplate, one without a size, and the same name', () => {
    const refused = (spec: object, name?: string) => () =>
      planCnpgMigration(
        { ...orders, spec: { ...orders.spec, ...spec } },
        { storageClass: 'openebs-localpv-hostpath', name },
      );
    expect(
      refused({ replica: { primary: 'elsewhere', source: 'elsewhere' } }),
    ).toThrow(
      'Cluster shop/orders follows elsewhere: migrate the primary cluster',
    );
    expect(refused({ replica: { enabled: true, source: 'x' } })).toThrow(
      'follows x',
    );
    expect(
      refused({
        storage: { size: '1Gi', pvcTemplate: { storageClassName: 'a' } },
      }),
    ).toThrow('takes its volumes from a pvcTemplate');
    expect(refused({ storage: {} })).toThrow('has no spec.storage.size');
    expect(refused({}, 'orders')).toThrow('needs a name other than orders');
    // The primary of a pair (replica.primary itself) may move.
    expect(
      refused({ replica: { primary: 'orders', source: 'dr' } })(),
    ).toHaveProperty('cluster', 'orders');
  });
});
