/*
 * CloudNativePG on the full lab, as the CloudNativePG story uses it: the
 * operator and the Barman Cloud plugin (lab/scripts/cnpg.sh), the Cluster
 * to migrate (on a class that is not OpenEBS), the plan's commands run as
 * written, and SQL in an instance.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { kubectl, labState, stateEnv } from './fullLab';

export const PLUGIN = 'barman-cloud.cloudnative-pg.io';
/** The Cluster on the old class, and its replacement on OpenEBS. */
export const OLD = 'orders';
export const NEW = 'orders-openebs';
/** The ObjectStore both Clusters archive to, each under its own name. */
export const ARCHIVE = 'archive';

function cnpgScript(command: 'up' | 'down') {
  // Its progress (image builds on a cold machine) goes to the run's log.
  execFileSync(
    path.resolve(__dirname, '../../lab/scripts/cnpg.sh'),
    [command, labState()],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/** Installs (or finds up to date) the operator and the plugin; their env. */
export function cnpgUp(): { image: string; bucket: string } {
  cnpgScript('up');
  return {
    image: stateEnv('env-cnpg', 'LAB_CNPG_IMAGE'),
    bucket: stateEnv('env-cnpg', 'LAB_CNPG_BUCKET'),
  };
}

/**
 * Uninstalls both, so that the later stories run on the lab as they found
 * it (the CRDs stay: `backup` is CloudNativePG's short name from now on).
 */
export function cnpgDown() {
  cnpgScript('down');
}

/**
 * The lab S3's keys and CA in `namespace`, and the ObjectStore on them,
 * archiving under `s3://bucket/prefix/<server name>/`. The plugin refuses
 * to archive into a server's folder that holds WAL already (an earlier
 * run's), so each run has its own prefix.
 */
export function archiveObjects(
  namespace: string,
  archive: { bucket: string; prefix: string },
): object[] {
  const s3 = (name: string) => stateEnv('env-s3', name);
  const key = (k: string) => ({ name: 'lab-s3', key: k });
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'lab-s3', namespace },
      stringData: {
        ACCESS_KEY_ID: s3('LAB_S3_ACCESS_KEY'),
        ACCESS_SECRET_KEY: s3('LAB_S3_SECRET_KEY'),
        REGION: s3('LAB_S3_REGION'),
        'ca.crt': fs.readFileSync(s3('LAB_S3_CA_FILE'), 'utf8'),
      },
    },
    {
      apiVersion: 'barmancloud.cnpg.io/v1',
      kind: 'ObjectStore',
      metadata: { name: ARCHIVE, namespace },
      spec: {
        configuration: {
          destinationPath: `s3://${archive.bucket}/${archive.prefix}`,
          endpointURL: s3('LAB_S3_ENDPOINT'),
          endpointCA: key('ca.crt'),
          s3Credentials: {
            accessKeyId: key('ACCESS_KEY_ID'),
            secretAccessKey: key('ACCESS_SECRET_KEY'),
            region: key('REGION'),
          },
          wal: { compression: 'gzip' },
          // A base backup starts at once instead of after a checkpoint
          // spread over minutes (as a migration's first backup would).
          data: { immediateCheckpoint: true },
        },
      },
    },
  ];
}

/**
 * The Cluster as an owner runs it before the migration: one instance on a
 * class that is not OpenEBS, archiving its WAL through the plugin. The
 * replica and the switchover come from the portal's plan.
 */
export function sourceCluster(
  namespace: string,
  spec: { image: string; storageClass: string; labels: object },
): object {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: OLD, namespace, labels: spec.labels },
    spec: {
      instances: 1,
      imageName: spec.image,
      inheritedMetadata: { labels: spec.labels },
      storage: { size: '2Gi', storageClass: spec.storageClass },
      plugins: [
        {
          name: PLUGIN,
          isWALArchiver: true,
          parameters: { barmanObjectName: ARCHIVE, serverName: OLD },
        },
      ],
    },
  };
}

/**
 * Runs a command of the plan's switchover as written (`kubectl -n … '…'`),
 * with the lab's kubectl: single-quoted parts stay whole.
 */
export function runPlanCommand(command: string): string {
  // A word is quoted and bare parts together (`jsonpath='{…}'`), as a
  // shell reads it; the quotes go.
  const words = (command.match(/(?:'[^']*'|[^\s'])+/g) ?? []).map(word =>
    word.replace(/'([^']*)'/g, '$1'),
  );
  if (words[0] !== 'kubectl') {
    throw new Error(`Not a kubectl command: ${command}`);
  }
  return kubectl(words.slice(1));
}

/** psql's unaligned answer in the Cluster's first instance (as postgres). */
export function sql(
  namespace: string,
  name: string,
  query: string,
  database = 'app',
): string {
  return kubectl(
    [
      '-n',
      namespace,
      'exec',
      '-i',
      `${name}-1`,
      '-c',
      'postgres',
      '--',
      'psql',
      '-v',
      'ON_ERROR_STOP=1',
      '-qAt',
      '-d',
      database,
    ],
    query,
  ).trim();
}

/**
 * A steady writer: one INSERT of the next number at a time into `writes`
 * through the old Cluster's service, else the new one's (the one that is
 * primary takes it); every acknowledged number is logged with its time.
 * A duplicate key means an earlier attempt was committed unacknowledged.
 */
export function writerPod(namespace: string, image: string, first = 1): object {
  const loop = `i=${first}
while :; do
  for host in ${OLD}-rw ${NEW}-rw; do
    out=$(psql "host=$host dbname=app user=app connect_timeout=2" -qAt -c "INSERT INTO writes (id) VALUES ($i)" 2>&1)
    if [ $? -eq 0 ] || echo "$out" | grep -q 'duplicate key'; then
      echo "ack $i $host $(date +%s.%N)"; i=$((i + 1)); break
    fi
  done
  sleep 0.1
done`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'writer', namespace },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'writer',
          image,
          command: ['sh', '-c', loop],
          env: [
            {
              name: 'PGPASSWORD',
              valueFrom: {
                secretKeyRef: { name: `${OLD}-app`, key: 'password' },
              },
            },
          ],
        },
      ],
    },
  };
}

export type Ack = { id: number; host: string; at: number };

/** What the writer has had acknowledged so far, in order. */
export function acks(namespace: string): Ack[] {
  return kubectl(['-n', namespace, 'logs', 'writer'])
    .split('\n')
    .filter(l => l.startsWith('ack '))
    .map(l => {
      const [, id, host, at] = l.split(' ');
      return { id: Number(id), host, at: Number(at) };
    });
}

/** The longest time between two acknowledged writes, in seconds. */
export function longestGap(list: Ack[]): number {
  let gap = 0;
  for (let i = 1; i < list.length; i++)
    gap = Math.max(gap, list[i].at - list[i - 1].at);
  return gap;
}
