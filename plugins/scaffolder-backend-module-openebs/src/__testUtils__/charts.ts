import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type PlatformSpec,
  VELERO_AWS_PLUGIN_IMAGE,
} from '../flux/PlatformGenerator';

/**
 * A pinned chart's archive, found as lab/scripts/lib.sh (charts_dir) finds it:
 * $OPENEBS_CHARTS_DIR, else charts/ of $OPENEBS_SHARED_DIR, else
 * ../shared/charts beside the repository.
 */
export function chartArchive(name: string, version: string): string {
  const dir =
    process.env.OPENEBS_CHARTS_DIR ??
    resolve(
      process.env.OPENEBS_SHARED_DIR ??
        // Test helper: finds files in the source tree, never part of a build.
        // eslint-disable-next-line no-restricted-syntax
        resolve(__dirname, '../../../../../shared'),
      'charts',
    );
  const tgz = resolve(dir, `${name}-${version}.tgz`);
  if (!existsSync(tgz)) {
    throw new Error(
      `pinned chart ${tgz} not found: lab/charts.tsv names each chart and its upstream repository; ` +
        'set OPENEBS_CHARTS_DIR to a folder holding them',
    );
  }
  return tgz;
}

/** The platform as the template generates it by default, device class on. */
export const PLATFORM_SPEC: PlatformSpec = {
  recipients: [
    'age1lc7tqxj99vxh5dz7vp20yhxtwnvg8sg242fkmtkdfcdq3u3k5uuq5vuhjj',
  ],
  owner: 'group:default/platform-admins',
  monitoring: {
    enabled: true,
    labels: {},
    dependsOn: [],
    alertAfter: { unprotected: '1h', unverified: '1h' },
    scheduleGrace: '1h',
  },
  openebs: {
    replicas: 3,
    memoryRequest: '128Mi',
    memoryLimit: '256Mi',
    basePath: '/var/openebs/local',
    quota: 'none',
  },
  device: { enabled: true, volumeGroup: 'lvmvg' },
  velero: {
    namespace: 'velero',
    s3Url: 'https://s3.68cc.io',
    bucket: 'openebs-backups',
    region: 'us-east-1',
    secretName: 'velero-s3-secret',
    awsPluginImage: VELERO_AWS_PLUGIN_IMAGE,
    memoryRequest: '128Mi',
    memoryLimit: '256Mi',
  },
};
