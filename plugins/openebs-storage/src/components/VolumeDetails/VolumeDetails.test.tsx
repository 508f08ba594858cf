import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  deletedVolume,
  freezeClock,
  fullStorage,
  hostpathVolume,
  lvmVolume,
  otherVolume,
} from '../../testing/fixtures';
import { VolumeDetails } from './VolumeDetails';

const [labA] = fullStorage.clusters;

describe('VolumeDetails', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('lists the backups of a hostpath volume newest first, flags a slow one, and offers no snapshots', async () => {
    await renderInTestApp(
      <VolumeDetails
        volume={hostpathVolume}
        clusterSchedules={labA.schedules}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );

    const backups = screen.getByRole('table', {
      name: 'Backups of data-shop-0',
    });
    const [, ...rows] = within(backups).getAllByRole('row');
    expect(
      rows.map(
        row => within(row).getAllByRole('cell')[0].firstChild?.textContent,
      ),
    ).toEqual([
      'daily-20261117020000',
      'daily-20261116020000',
      'manual-20261115',
    ]);

    const newest = within(rows[0]);
    expect(newest.getByText('File system (Kopia)')).toBeInTheDocument();
    expect(newest.getByText('Completed')).toBeInTheDocument();
    expect(newest.getByText('Backup: PartiallyFailed')).toBeInTheDocument();
    expect(newest.getByText('2026-11-17 02:00 UTC')).toBeInTheDocument();
    expect(
      newest.getByText('7 min (over the 5 min limit)'),
    ).toBeInTheDocument();
    expect(newest.getByText('1.6 GiB')).toBeInTheDocument();
    expect(newest.getByText('in 29 d 14 h')).toBeInTheDocument();
    expect(newest.getByText('2 warnings, 1 error')).toBeInTheDocument();
    expect(within(rows[1]).getByText('3 min')).toBeInTheDocument();

    expect(
      screen.getByRole('list', { name: 'Schedules covering data-shop-0' }),
    ).toHaveTextContent('daily — cron 0 2 * * *, kept 720h0m0s');

    expect(
      screen.queryByRole('heading', { name: 'Snapshots' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'hostpath volumes cannot be snapshotted; protected by Velero file-system backups',
      ),
    ).toBeInTheDocument();
  });

  it('lists the snapshots of a volume whose class can take them', async () => {
    await renderInTestApp(
      <VolumeDetails
        volume={lvmVolume}
        clusterSchedules={labA.schedules}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );

    expect(
      screen.getByRole('heading', { name: 'Snapshots' }),
    ).toBeInTheDocument();
    const snapshots = screen.getByRole('table', {
      name: 'Snapshots of data-db-0',
    });
    const [, snapshot] = within(snapshots).getAllByRole('row');
    expect(within(snapshot).getByText('db-snap-1')).toBeInTheDocument();
    expect(within(snapshot).getByText('lvm-snapclass')).toBeInTheDocument();
    expect(within(snapshot).getByText('Ready')).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Backups of data-db-0' }),
    ).toHaveTextContent('CSI snapshot data mover');
  });

  it('says when a claim is not bound yet', async () => {
    await renderInTestApp(
      <VolumeDetails
        volume={{
          ...otherVolume,
          phase: 'Pending',
          volumeName: undefined,
          pods: [],
        }}
        clusterSchedules={labA.schedules}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );
    expect(
      screen.getByText('Persistent volume not bound yet'),
    ).toBeInTheDocument();
  });

  it('explains a deleted claim and lists the backups it can come back from', async () => {
    await renderInTestApp(
      <VolumeDetails
        volume={deletedVolume}
        clusterSchedules={labA.schedules}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );
    expect(
      screen.getByText(
        /^Deleted — restorable from backup: claim data-shop-1 no longer exists in namespace shop, but backups of it remain\./,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Backups of data-shop-1' }),
    ).toHaveTextContent('daily-20261116020000');
    // Nothing schedules backups of a claim that is gone.
    expect(
      screen.queryByRole('heading', { name: 'Schedules' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('the claim is deleted: only its Velero backups remain'),
    ).toBeInTheDocument();
  });

  it('says when nothing backs a volume up', async () => {
    await renderInTestApp(
      <VolumeDetails
        volume={otherVolume}
        clusterSchedules={labA.schedules}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );

    expect(
      screen.getByText('No backup has copied this volume yet.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No Velero schedule covers this volume/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Snapshots' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText(/cannot be snapshotted/)).toBeInTheDocument();
  });
});
