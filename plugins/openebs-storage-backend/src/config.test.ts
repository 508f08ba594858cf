import { ConfigReader } from '@backstage/config';
import { DEFAULT_SERVICE_LEVELS } from '@openebs-portal/plugin-openebs-storage-common';
import { readStorageConfig } from './config';

describe('readStorageConfig', () => {
  it('has safe defaults', () => {
    const config = readStorageConfig(new ConfigReader({}));
    expect(config).toMatchObject({
      veleroNamespace: 'velero',
      serviceLevels: DEFAULT_SERVICE_LEVELS,
      restoreTrackingSeconds: 5,
      limits: { activePerEntity: 1, activePerUser: 2 },
      drills: { enabled: true, scheduled: true, unverifiedAfterDays: 8 },
      metricsRefreshSeconds: 60,
      tenancy: {
        ownerAnnotation: 'openebs-portal.dev/owner',
        matchRequesterOwnership: false,
        targetNamespacePatterns: ['{source}-restore-*'],
      },
    });
    expect(config.tenancy.reservedNamespaces).toEqual(
      expect.arrayContaining([
        'default',
        'kube-*',
        'openebs',
        'flux-system',
        'velero',
      ]),
    );
  });

  it('adds configured reserved namespaces to the built-in ones, never replaces them', () => {
    const config = readStorageConfig(
      new ConfigReader({
        openebsStorage: {
          veleroNamespace: 'backups',
          tenancy: {
            reservedNamespaces: ['payments-*'],
            portalNamespace: 'backstage',
          },
        },
      }),
    );
    expect(config.tenancy.reservedNamespaces).toEqual(
      expect.arrayContaining(['kube-*', 'backups', 'backstage', 'payments-*']),
    );
  });

  it.each([
    [
      { restoreLimits: { activePerEntity: 0 } },
      'activePerEntity must be a whole number',
    ],
    [
      { restoreLimits: { activePerUser: 1.5 } },
      'activePerUser must be a whole number',
    ],
    [{ tenancy: { targetNamespacePatterns: [] } }, 'at least one pattern'],
    [
      { metrics: { refreshSeconds: -1 } },
      'metrics.refreshSeconds must be a whole number of seconds (0 turns the gauges off), not -1',
    ],
  ])('refuses %j', (openebsStorage, message) => {
    expect(() =>
      readStorageConfig(new ConfigReader({ openebsStorage })),
    ).toThrow(message);
  });
});
