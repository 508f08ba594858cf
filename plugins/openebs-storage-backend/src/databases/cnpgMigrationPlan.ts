import { InputError } from '@backstage/errors';
import { PostgresMigrationPlan } from '@openebs-portal/plugin-openebs-storage-common';
import { stringify } from 'yaml';
import { BARMAN_CLOUD_PLUGIN, replicaOf } from './cnpgClusters';

/** The new Cluster's name when none is asked for. */
const defaultReplicaName = (name: string) => `${name}-openebs`;

/**
 * How one Cluster of the pair reaches the other as its `streaming_replica`.
 * Both present the old Cluster's replication certificate (the new one is
 * given the old one's client CA), so either accepts the other as replica
 * after a switchover in either direction.
 */
function externalCluster(
  name: string,
  replicationSecret: string,
  serverCaSecret: string,
) {
  return {
    name,
    connectionParameters: {
      host: `${name}-rw`,
      user: 'streaming_replica',
      sslmode: 'verify-full',
      dbname: 'postgres',
    },
    sslKey: { name: replicationSecret, key: 'tls.key' },
    sslCert: { name: replicationSecret, key: 'tls.crt' },
    sslRootCert: { name: serverCaSecret, key: 'ca.crt' },
  };
}

/**
 * The migration of a CloudNativePG Cluster onto an OpenEBS class by
 * streaming replication, as CloudNativePG's distributed topology does it:
 * the existing Cluster is told about the new one (a merge patch), the new
 * Cluster is made from it by pg_basebackup on the OpenEBS class and follows
 * it, and the switchover hands the primary over with the old Cluster's
 * demotion token, so no acknowledged write is lost. Everything the new
 * Cluster runs with is copied from the existing one; only its name, its
 * class and its archive folder change.
 *
 * Refused (InputError, nothing proposed): a Cluster that already follows
 * another, one whose volumes come from a `pvcTemplate` (the class is not
 * ours to rewrite there), and a new name that is the existing one's.
 */
export function planCnpgMigration(
  existing: any,
  target: { storageClass: string; name?: string },
): PostgresMigrationPlan {
  const { name: old, namespace } = existing.metadata;
  const spec = existing.spec ?? {};
  const name = target.name ?? defaultReplicaName(old);
  if (name === old) {
    throw new InputError(`The new Cluster needs a name other than ${old}`);
  }
  const follows = replicaOf(existing);
  if (follows) {
    throw new InputError(
      `Cluster ${namespace}/${old} follows ${follows}: migrate the primary cluster`,
    );
  }
  if (!spec.storage?.size) {
    throw new InputError(
      `Cluster ${namespace}/${old} has no spec.storage.size to copy`,
    );
  }
  if (spec.storage.pvcTemplate || spec.walStorage?.pvcTemplate) {
    throw new InputError(
      `Cluster ${namespace}/${old} takes its volumes from a pvcTemplate: set its class there`,
    );
  }

  const certificates = spec.certificates ?? {};
  const replicationSecret =
    certificates.replicationTLSSecret ?? `${old}-replication`;
  const clientCaSecret = certificates.clientCASecret ?? `${old}-ca`;
  const externalClusters = [
    ...(spec.externalClusters ?? []).filter(
      (c: any) => c.name !== old && c.name !== name,
    ),
    externalCluster(
      old,
      replicationSecret,
      certificates.serverCASecret ?? `${old}-ca`,
    ),
    externalCluster(name, replicationSecret, `${name}-ca`),
  ];
  const initdb = spec.bootstrap?.initdb ?? {};
  const onTarget = (storage: any) =>
    storage && { ...storage, storageClass: target.storageClass };

  const existingPatch = {
    spec: { replica: { primary: old, source: name }, externalClusters },
  };
  const {
    bootstrap: _bootstrap,
    replica: _replica,
    externalClusters: _external,
    storage,
    walStorage,
    plugins,
    ...kept
  } = spec;
  const replicaCluster = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: {
      name,
      namespace,
      ...(existing.metadata.labels && { labels: existing.metadata.labels }),
    },
    spec: {
      ...kept,
      storage: onTarget(storage),
      ...(walStorage && { walStorage: onTarget(walStorage) }),
      bootstrap: {
        pg_basebackup: {
          source: old,
          database: initdb.database ?? 'app',
          owner: initdb.owner ?? 'app',
          // The application's credentials kept: its connection works on
          // either Cluster, and the promotion does not reset the password.
          secret: { name: initdb.secret?.name ?? `${old}-app` },
        },
      },
      // Its own server certificate and CA (the old one's name other hosts);
      // the old one's client CA and replication certificate, which the old
      // Cluster presents when it follows.
      certificates: {
        clientCASecret: clientCaSecret,
        replicationTLSSecret: replicationSecret,
      },
      replica: { primary: old, source: old },
      externalClusters,
      // Archiving continues in the same store, in the new Cluster's own
      // folder (one server may not write where another archived).
      ...(plugins && {
        plugins: plugins.map((plugin: any) =>
          plugin.name === BARMAN_CLOUD_PLUGIN
            ? {
                ...plugin,
                parameters: { ...plugin.parameters, serverName: name },
              }
            : plugin,
        ),
      }),
    },
  };
  const kubectl = `kubectl -n ${namespace}`;
  return {
    namespace,
    cluster: old,
    target: { name, storageClass: target.storageClass },
    existingPatch: stringify(existingPatch),
    replicaCluster: stringify(replicaCluster),
    switchover: handOver(kubectl, old, name),
    rollback: handOver(kubectl, name, old),
  };
}

/**
 * The primary handed from one Cluster of the pair to the other with the
 * demotion token, so nothing `from` committed is lost: the switchover one
 * way, the rollback the other.
 */
function handOver(kubectl: string, from: string, to: string) {
  return [
    {
      title: `Demote ${from}: it stops taking writes and records where it stopped`,
      // A promotion token is refused on a cluster that is not primary:
      // the one `from` was promoted with goes.
      command: `${kubectl} patch clusters.postgresql.cnpg.io ${from} --type=merge -p '{"spec":{"replica":{"primary":"${to}","source":"${to}","promotionToken":null}}}'`,
    },
    {
      title: `Read ${from}'s demotion token (empty until the demotion is done)`,
      command: `${kubectl} get clusters.postgresql.cnpg.io ${from} -o jsonpath='{.status.demotionToken}'`,
    },
    {
      title: `Promote ${to} with that token: it takes over at that exact position`,
      command: `${kubectl} patch clusters.postgresql.cnpg.io ${to} --type=merge -p '{"spec":{"replica":{"primary":"${to}","source":"${from}","promotionToken":"<token>"}}}'`,
    },
  ];
}
