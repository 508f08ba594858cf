/*
 * What Velero wrote to the full lab's bucket for a backup, read back through
 * the S3 API as anyone holding the bucket's keys would read it: every object
 * under backups/<name>/, decompressed, and the tarball's member paths; and
 * the keys of another lab bucket (the CloudNativePG archive's).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readEnvFile } from '@openebs-portal/lab-testkit';
import { labState } from './fullLab';

export type BackupInBucket = {
  /** Object keys under backups/<name>/. */
  keys: string[];
  /** The paths inside the resource tarball (<name>.tar.gz). */
  members: string[];
  /** Every object's bytes, gunzipped where Velero gzipped them. */
  contents: Map<string, Buffer>;
};

function s3Env() {
  return readEnvFile(path.join(labState(), 'env-s3'));
}

/** A GET signed with the lab's S3 keys (SigV4, by curl); Velero's bucket by default. */
function s3Get(urlPath: string, bucket?: string): Buffer {
  const env = s3Env();
  return execFileSync(
    'curl',
    [
      '-sSf',
      '--cacert',
      env.LAB_S3_CA_FILE,
      '--aws-sigv4',
      `aws:amz:${env.LAB_S3_REGION}:s3`,
      '--user',
      `${env.LAB_S3_ACCESS_KEY}:${env.LAB_S3_SECRET_KEY}`,
      // versitygw requires the payload hash header; curl signs it too.
      '-H',
      'x-amz-content-sha256: UNSIGNED-PAYLOAD',
      `${env.LAB_S3_ENDPOINT}/${bucket ?? env.LAB_S3_BUCKET}${urlPath}`,
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
}

/** The keys under `prefix` in `bucket` (one listing page: up to 1,000). */
export function keysInBucket(bucket: string, prefix: string): string[] {
  const listing = s3Get(
    `?list-type=2&prefix=${encodeURIComponent(prefix)}`,
    bucket,
  ).toString('utf8');
  return [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map(m => m[1]);
}

export function backupInBucket(backup: string): BackupInBucket {
  const prefix = `backups/${backup}/`;
  const keys = keysInBucket(s3Env().LAB_S3_BUCKET, prefix);
  const contents = new Map<string, Buffer>();
  let members: string[] = [];
  for (const key of keys) {
    const raw = s3Get(`/${key.split('/').map(encodeURIComponent).join('/')}`);
    const bytes = key.endsWith('.gz') ? gunzipSync(raw) : raw;
    contents.set(key, bytes);
    if (key === `${prefix}${backup}.tar.gz`) {
      members = execFileSync('tar', ['-t', '-f', '-'], { input: bytes })
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
    }
  }
  return { keys, members, contents };
}

/** Messages of one kind in a backup's results: Velero's, the cluster's, each namespace's. */
export type BackupMessages = {
  velero?: string[];
  cluster?: string[];
  namespaces?: Record<string, string[]>;
};

/**
 * The errors and warnings Velero wrote for a finished backup
 * (backups/<name>/<name>-results.gz), as `velero backup describe
 * --details` shows them.
 */
export function veleroBackupResults(backup: string): {
  errors?: BackupMessages;
  warnings?: BackupMessages;
} {
  const key = `backups/${backup}/${backup}-results.gz`;
  return JSON.parse(gunzipSync(s3Get(`/${key}`)).toString('utf8'));
}

/** The keys of the objects whose (decompressed) bytes contain `needle`. */
export function objectsContaining(
  bucket: BackupInBucket,
  needle: string,
): string[] {
  return [...bucket.contents]
    .filter(([, bytes]) => bytes.includes(needle))
    .map(([key]) => key);
}
