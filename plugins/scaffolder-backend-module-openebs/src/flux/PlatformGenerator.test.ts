import { parseAllDocuments, parse } from 'yaml';
import { PLATFORM_SPEC } from '../__testUtils__/charts';
import { PLAN } from './manifests';
import {
  generatePlatform,
  PlatformSpec,
  VELERO_RESOURCE_POLICY,
} from './PlatformGenerator';

function objects(spec: PlatformSpec): any[] {
  return generatePlatform(spec).files.flatMap(f =>
    parseAllDocuments(f.content).map(d => d.toJS()),
  );
}

const veleroValues = (spec: PlatformSpec) =>
  objects(spec).find(
    o => o?.kind === 'HelmRelease' && o.metadata.name === 'velero',
  ).spec.values;

describe('generatePlatform', () => {
  it("writes Velero's resource policy for the OpenEBS classes, and the schedule uses it", () => {
    const policy = objects(PLATFORM_SPEC).find(
      o =>
        o?.kind === 'ConfigMap' && o.metadata.name === VELERO_RESOURCE_POLICY,
    );
    // Velero refuses a policy ConfigMap with more than one key.
    expect(Object.keys(policy.data)).toHaveLength(1);
    expect(parse(Object.values<string>(policy.data)[0])).toEqual({
      version: 'v1',
      volumePolicies: [
        {
          conditions: {
            storageClass: [
              PLAN.storageClasses.hostpath,
              PLAN.storageClasses.device,
            ],
          },
          action: { type: 'fs-backup' },
        },
      ],
    });
    expect(
      veleroValues(PLATFORM_SPEC).schedules[PLAN.backup.scheduleName].template
        .resourcePolicy,
    ).toEqual({ kind: 'configmap', name: VELERO_RESOURCE_POLICY });
  });

  it('puts a CA bundle base64-encoded on the backup location, and none by default', () => {
    const pem =
      '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';
    const withCa = veleroValues({
      ...PLATFORM_SPEC,
      velero: { ...PLATFORM_SPEC.velero, caCert: pem },
    });
    const [bsl] = withCa.configuration.backupStorageLocation;
    expect(Buffer.from(bsl.caCert, 'base64').toString('utf8')).toBe(pem);
    expect(
      veleroValues(PLATFORM_SPEC).configuration.backupStorageLocation[0],
    ).not.toHaveProperty('caCert');
  });
});
