import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { freezeClock, fullStorage } from '../../testing/fixtures';
import { StorageLocations } from './StorageLocations';

describe('StorageLocations', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('shows the phase of each location and the schedules', async () => {
    await renderInTestApp(<StorageLocations clusters={fullStorage.clusters} />);

    const locations = screen.getByRole('table', {
      name: 'Backup storage locations',
    });
    const [, available, unavailable] = within(locations).getAllByRole('row');
    expect(
      within(available).getByText('default (default)'),
    ).toBeInTheDocument();
    expect(within(available).getByText('Available')).toBeInTheDocument();
    expect(
      within(available).getByText('aws · openebs-backups'),
    ).toBeInTheDocument();
    expect(within(unavailable).getByText('Unavailable')).toBeInTheDocument();
    expect(
      within(unavailable).getByText(
        'BackupStorageLocation "secondary" is unavailable',
      ),
    ).toBeInTheDocument();
    // The unavailable location is highlighted, the available one is not.
    expect(unavailable.className).not.toBe(available.className);

    const schedules = screen.getByRole('table', { name: 'Backup schedules' });
    expect(
      within(schedules).getByRole('columnheader', {
        name: 'Entity namespaces covered',
      }),
    ).toBeInTheDocument();
    const [, daily, weekly] = within(schedules).getAllByRole('row');
    expect(within(daily).getByText('0 2 * * *')).toBeInTheDocument();
    expect(within(daily).getByText('720h0m0s')).toBeInTheDocument();
    expect(within(daily).getByText('Enabled')).toBeInTheDocument();
    expect(within(daily).getByText('10 h ago')).toBeInTheDocument();
    expect(within(weekly).getByText('Paused')).toBeInTheDocument();
    expect(within(weekly).getByText('never')).toBeInTheDocument();
  });

  it('says when there is nowhere to store backups', async () => {
    await renderInTestApp(
      <StorageLocations clusters={[{ ...fullStorage.clusters[1] }]} />,
    );
    expect(
      screen.getByText(/No backup storage location was found/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'No Velero schedule covers the namespaces of this entity: nothing is backed up automatically.',
      ),
    ).toBeInTheDocument();
  });

  it("names the entity's namespaces that no schedule covers", async () => {
    // Schedules exist in the cluster, but the backend lists only those that
    // include one of the entity's namespaces: here none does.
    const [labA] = fullStorage.clusters;
    await renderInTestApp(
      <StorageLocations
        clusters={[{ ...labA, namespaces: ['legacy'], schedules: [] }]}
      />,
    );
    expect(
      screen.getByText(
        'No Velero schedule covers namespace legacy: nothing of this entity is backed up automatically.',
      ),
    ).toBeInTheDocument();
  });
});
