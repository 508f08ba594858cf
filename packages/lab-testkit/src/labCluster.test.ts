import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnvFile } from './envFile';
import {
  collectionPath,
  labCluster,
  labEnvFile,
  REPO_ROOT,
} from './labCluster';
import { claim, restore } from './storageFixtures';

describe('parseEnvFile', () => {
  it('reads the KEY=value lines the lab scripts write, quotes and export included', () => {
    expect(
      parseEnvFile(
        [
          "LAB_API_URL='https://127.0.0.1:6443'",
          'export GITEA_TOKEN="abc"',
          '  LAB_NODE_IP=10.0.0.2  ',
          '# a comment',
          'lower=skipped',
          'LAB_EMPTY=',
        ].join('\n'),
      ),
    ).toEqual({
      LAB_API_URL: 'https://127.0.0.1:6443',
      GITEA_TOKEN: 'abc',
      LAB_NODE_IP: '10.0.0.2',
      LAB_EMPTY: '',
    });
  });
});

describe('labCluster', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-testkit-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the lab from its env file, the CA from LAB_CA_FILE when there is no LAB_CA_DATA', () => {
    fs.writeFileSync(path.join(dir, 'ca.crt'), 'PEM');
    fs.writeFileSync(
      path.join(dir, 'env'),
      [
        "LAB_API_URL='https://127.0.0.1:6443'",
        `LAB_CA_FILE='${dir}/ca.crt'`,
        "LAB_ADMIN_TOKEN='admin'",
        "LAB_BACKSTAGE_TOKEN='backstage'",
      ].join('\n'),
    );
    expect(labCluster(path.join(dir, 'env'))).toEqual({
      url: 'https://127.0.0.1:6443',
      caData: Buffer.from('PEM').toString('base64'),
      adminToken: 'admin',
      backstageToken: 'backstage',
    });
  });

  it('says how to start a lab when there is none, and what an env file lacks', () => {
    expect(() => labCluster(path.join(dir, 'env'))).toThrow(
      /No lab cluster: .* is missing. Start one with lab\/scripts\/up.sh/,
    );
    fs.writeFileSync(path.join(dir, 'env'), "LAB_API_URL='https://x'\n");
    expect(() => labCluster(path.join(dir, 'env'))).toThrow(
      /lacks the lab's caData, adminToken, backstageToken/,
    );
  });

  it('finds the lab named by OPENEBS_LAB_ENV, else one under the repository', () => {
    const saved = process.env.OPENEBS_LAB_ENV;
    try {
      delete process.env.OPENEBS_LAB_ENV;
      expect(fs.existsSync(path.join(REPO_ROOT, 'lab/scripts/up.sh'))).toBe(
        true,
      );
      expect(labEnvFile()).toBe(path.join(REPO_ROOT, 'lab/_state/env'));
      expect(labEnvFile('lab/_state-e2e')).toBe(
        path.join(REPO_ROOT, 'lab/_state-e2e/env'),
      );
      process.env.OPENEBS_LAB_ENV = '/elsewhere/env';
      expect(labEnvFile('lab/_state-e2e')).toBe('/elsewhere/env');
    } finally {
      if (saved === undefined) delete process.env.OPENEBS_LAB_ENV;
      else process.env.OPENEBS_LAB_ENV = saved;
    }
  });
});

describe('collectionPath', () => {
  it('names core and group collections, namespaced or not', () => {
    const { claim: pvc, volume } = claim({
      namespace: 'shop',
      name: 'data',
      storageClass: 'openebs-localpv-hostpath',
      size: '1Gi',
      node: 'lab-node-1',
    });
    expect(collectionPath(pvc)).toBe(
      '/api/v1/namespaces/shop/persistentvolumeclaims',
    );
    expect(volume && collectionPath(volume)).toBe('/api/v1/persistentvolumes');
    expect(
      collectionPath(
        restore({ name: 'r', phase: 'InProgress', startedMinutesAgo: 1 }),
      ),
    ).toBe('/apis/velero.io/v1/namespaces/velero/restores');
    expect(() =>
      collectionPath({ apiVersion: 'v1', kind: 'CronJob', metadata: {} }),
    ).toThrow('Unknown kind CronJob');
  });
});
