import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import {
  ClusterStorage,
  StorageAlert,
} from '@openebs-portal/plugin-openebs-storage-common';
import {
  freezeClock,
  fullStorage,
  hostpathVolume,
} from '../../testing/fixtures';
import { VolumesTable } from '../VolumesTable';
import { FiringAlerts } from './FiringAlerts';

const [labA] = fullStorage.clusters;
const LONG =
  'BackupStorageLocation "default" is unavailable: rpc error: code = Unknown desc = dial tcp 10.0.0.1:9000: connect: connection refused';

const locationAlert: StorageAlert = {
  name: 'VeleroBackupLocationUnavailable',
  severity: 'critical',
  summary: 'BackupStorageLocation "default" is unavailable: rpc error…',
  detail: LONG,
  since: '2026-11-17T07:12:00Z',
  concerns: { kind: 'storage-location', name: 'default' },
};
const volumeAlert: StorageAlert = {
  name: 'OpenEBSVolumeAlmostFull',
  severity: 'warning',
  summary: 'An OpenEBS volume has less than 10% free space',
  since: '2026-11-17T11:00:00Z',
  concerns: {
    kind: 'volume',
    name: hostpathVolume.name,
    namespace: hostpathVolume.namespace,
  },
};

/** The volume's backups kept in the location `default`. */
const volume = {
  ...hostpathVolume,
  backups: hostpathVolume.backups.map(b => ({
    ...b,
    storageLocation: 'default',
  })),
};

function withAlerts(alerts: StorageAlert[]): ClusterStorage[] {
  return [{ ...labA, volumes: [volume], alerts }];
}

describe('FiringAlerts', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('lists each alert with what it is about and since when, the full message on demand', async () => {
    await renderInTestApp(
      <FiringAlerts clusters={withAlerts([locationAlert, volumeAlert])} />,
    );
    const [location, volumeLine] = within(
      screen.getByRole('table', { name: 'Firing alerts' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(location).toHaveTextContent(
      'backup storage location default (cluster lab-a)',
    );
    expect(location).toHaveTextContent('2026-11-17 07:12 UTC');
    expect(location).toHaveTextContent('4 h 48 min ago');
    expect(within(location).getByText(LONG)).not.toBeVisible();
    await userEvent.click(within(location).getByText('Full message'));
    expect(within(location).getByText(LONG)).toBeVisible();
    expect(volumeLine).toHaveTextContent(
      `volume ${hostpathVolume.namespace}/${hostpathVolume.name}`,
    );
    expect(within(volumeLine).queryByText('Full message')).toBeNull();
  });

  it('shows nothing when no alert fires', async () => {
    await renderInTestApp(<FiringAlerts clusters={withAlerts([])} />);
    expect(screen.queryByText('Firing alerts')).toBeNull();
  });

  it("puts the volume's and its backups' location's alerts beside the volume", async () => {
    await renderInTestApp(
      <VolumesTable
        clusters={withAlerts([locationAlert, volumeAlert])}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );
    const row = screen
      .getByRole('button', { name: /^Details of shop\/data-shop-0/ })
      .closest('tr')!;
    expect(row).toHaveTextContent(
      'An OpenEBS volume has less than 10% free space since 2026-11-17 11:00 UTC',
    );
    expect(row).toHaveTextContent(
      'BackupStorageLocation "default" is unavailable: rpc error… since 2026-11-17 07:12 UTC',
    );
  });
});
