import { parse, parseAllDocuments } from 'yaml';
import { addCnpgReplica } from './cnpgReplica';
import { recordCnpgPrimary } from './cnpgPrimary';
import type { RepositoryText } from './claimClass';
import {
  applied,
  DIR,
  plan,
  repository,
} from '../__testUtils__/cnpgRepository';

const OLD = 'orders';
const NEW = 'orders-openebs';

/** The repository once the replica's pull request is merged. */
function withReplica(): RepositoryText[] {
  return applied(repository(), addCnpgReplica(repository(), plan).changed);
}

function replicaSection(files: RepositoryText[], name: string) {
  return files
    .flatMap(f => parseAllDocuments(f.content).map(d => d.toJS()))
    .find(m => m?.kind === 'Cluster' && m.metadata.name === name).spec.replica;
}

describe('recordCnpgPrimary', () => {
  it('writes the switchover: the new Cluster primary, the old one following it, the rest of each file kept', () => {
    const before = withReplica();
    const result = recordCnpgPrimary(before, {
      namespace: 'orders',
      primary: NEW,
      replica: OLD,
    });
    expect(result.changed.map(f => f.path)).toEqual([
      `${DIR}/orders-openebs.yaml`,
      `${DIR}/orders.yaml`,
    ]);
    const after = applied(before, result.changed);
    expect(replicaSection(after, NEW)).toEqual({ primary: NEW, source: OLD });
    expect(replicaSection(after, OLD)).toEqual({ primary: NEW, source: NEW });
    const orders = after.find(f => f.path === `${DIR}/orders.yaml`)!.content;
    expect(orders).toContain('instances: 1 # one is enough here');
    expect(orders).toContain('name: orders-settings');
    expect(result.found).toEqual([
      `${DIR}/orders-openebs.yaml: Cluster ${NEW} is the primary`,
      `${DIR}/orders.yaml: Cluster ${OLD} is a replica of ${NEW}`,
    ]);
    // Written again: nothing to change, so no pull request.
    const again = recordCnpgPrimary(after, {
      namespace: 'orders',
      primary: NEW,
      replica: OLD,
    });
    expect(again.changed).toEqual([]);
    expect(again.found[0]).toBe(
      `${DIR}/orders-openebs.yaml: Cluster ${NEW} is already the primary`,
    );
  });

  it('writes the rollback back to the text the replica phase left', () => {
    const before = withReplica();
    const switched = applied(
      before,
      recordCnpgPrimary(before, {
        namespace: 'orders',
        primary: NEW,
        replica: OLD,
      }).changed,
    );
    const rolledBack = applied(
      switched,
      recordCnpgPrimary(switched, {
        namespace: 'orders',
        primary: OLD,
        replica: NEW,
      }).changed,
    );
    expect(rolledBack).toEqual(before);
  });

  it('never keeps a promotion token in Git, and edits two Clusters of one file once', () => {
    const both = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: ${OLD}, namespace: orders }
spec: { replica: { primary: ${OLD}, source: ${NEW} } }
---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: ${NEW}, namespace: orders }
spec: { replica: { primary: ${OLD}, source: ${OLD}, promotionToken: abc } }
`;
    const result = recordCnpgPrimary(
      [{ path: `${DIR}/db.yaml`, content: both }],
      {
        namespace: 'orders',
        primary: NEW,
        replica: OLD,
      },
    );
    expect(result.changed).toHaveLength(1);
    expect(replicaSection(result.changed, NEW)).toEqual({
      primary: NEW,
      source: OLD,
    });
    expect(replicaSection(result.changed, OLD)).toEqual({
      primary: NEW,
      source: NEW,
    });
  });

  it('refuses, changing nothing, when either Cluster is missing or defined twice', () => {
    expect(() =>
      recordCnpgPrimary(repository(), {
        namespace: 'orders',
        primary: NEW,
        replica: OLD,
      }),
    ).toThrow(
      `No manifest defines CloudNativePG Cluster ${NEW} of namespace orders`,
    );
    const twice = [
      ...withReplica(),
      {
        path: `${DIR}/copy.yaml`,
        content: withReplica().find(f => f.path.endsWith(`${NEW}.yaml`))!
          .content,
      },
    ];
    expect(() =>
      recordCnpgPrimary(twice, {
        namespace: 'orders',
        primary: OLD,
        replica: NEW,
      }),
    ).toThrow(`Cluster ${NEW} is defined more than once`);
    expect(parse(plan.replicaCluster).spec.replica.primary).toBe(OLD);
  });
});
