import { parse, parseAllDocuments, stringify } from 'yaml';
import { addCnpgReplica } from './cnpgReplica';
import {
  applied,
  DIR,
  external,
  KUSTOMIZATION,
  ORDERS,
  plan,
  repository,
} from '../__testUtils__/cnpgRepository';

describe('addCnpgReplica', () => {
  it('patches the existing Cluster in place, adds the new one beside it and lists it, keeping the rest as it was', () => {
    const result = addCnpgReplica(repository(), plan);
    expect(result.changed.map(f => f.path)).toEqual([
      `${DIR}/orders.yaml`,
      `${DIR}/orders-openebs.yaml`,
      `${DIR}/kustomization.yaml`,
    ]);
    const [orders, replica, kustomization] = result.changed;
    const [cluster, settings] = parseAllDocuments(orders.content).map(d =>
      d.toJS(),
    );
    expect(cluster.spec).toEqual({
      instances: 1,
      storage: { size: '1Gi', storageClass: 'legacy-nfs' },
      replica: { primary: 'orders', source: 'orders-openebs' },
      externalClusters: [external],
    });
    expect(settings).toEqual(parse(ORDERS.split('---\n')[1]));
    expect(orders.content).toContain('# The orders database.');
    expect(orders.content).toContain('# one is enough here');
    expect(parseAllDocuments(replica.content).map(d => d.toJS())).toEqual([
      parse(plan.replicaCluster),
    ]);
    expect(parse(kustomization.content).resources).toEqual([
      'orders.yaml',
      'orders-openebs.yaml',
    ]);
    expect(kustomization.content).toContain('# Listed by hand.');
    expect(result.found).toEqual([
      `${DIR}/orders.yaml: Cluster orders learns of orders-openebs and stays the primary`,
      `${DIR}/orders-openebs.yaml: Cluster orders-openebs on openebs-localpv-hostpath, copied from orders by pg_basebackup and following it`,
      `${DIR}/kustomization.yaml: lists orders-openebs.yaml`,
    ]);
  });

  it('changes nothing in a repository that already holds the plan', () => {
    const first = addCnpgReplica(repository(), plan);
    const again = addCnpgReplica(applied(repository(), first.changed), plan);
    expect(again.changed).toEqual([]);
    expect(again.found).toEqual([
      `${DIR}/orders.yaml: Cluster orders already knows of orders-openebs`,
      `${DIR}/orders-openebs.yaml: Cluster orders-openebs is already the plan's`,
    ]);
  });

  it('adds no kustomization.yaml where the directory has none (Flux builds it from every file)', () => {
    const result = addCnpgReplica(
      [{ path: `${DIR}/orders.yaml`, content: ORDERS }],
      plan,
    );
    expect(result.changed.map(f => f.path)).toEqual([
      `${DIR}/orders.yaml`,
      `${DIR}/orders-openebs.yaml`,
    ]);
  });

  it('refuses, changing nothing, without the Cluster, with it twice, or where the new name is taken', () => {
    expect(() =>
      addCnpgReplica(
        [{ path: `${DIR}/kustomization.yaml`, content: KUSTOMIZATION }],
        plan,
      ),
    ).toThrow(
      'No manifest defines CloudNativePG Cluster orders of namespace orders (1 YAML file(s) read)',
    );
    expect(() =>
      addCnpgReplica(
        [...repository(), { path: `${DIR}/copy.yaml`, content: ORDERS }],
        plan,
      ),
    ).toThrow(
      `Cluster orders is defined more than once (${DIR}/orders.yaml, ${DIR}/copy.yaml)`,
    );
    const other = stringify({
      ...parse(plan.replicaCluster),
      spec: { instances: 3 },
    });
    expect(() =>
      addCnpgReplica(
        [...repository(), { path: `${DIR}/elsewhere.yaml`, content: other }],
        plan,
      ),
    ).toThrow(
      `${DIR}/elsewhere.yaml already defines a Cluster orders-openebs that is not the plan's`,
    );
    expect(() =>
      addCnpgReplica(
        [
          ...repository(),
          { path: `${DIR}/orders-openebs.yaml`, content: 'kind: ConfigMap\n' },
        ],
        plan,
      ),
    ).toThrow(
      `${DIR}/orders-openebs.yaml exists and is not the plan's Cluster orders-openebs`,
    );
  });

  it('reports a file it cannot read, and goes on with the others', () => {
    const result = addCnpgReplica(
      [...repository(), { path: `${DIR}/broken.yaml`, content: 'a: [b\n' }],
      plan,
    );
    expect(result.unreadable).toEqual([
      expect.stringMatching(new RegExp(`^${DIR}/broken.yaml: `)),
    ]);
    expect(result.changed).toHaveLength(3);
  });
});
