import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { fullStorage } from '../../testing/fixtures';
import { EntityHealthSummary } from './EntityHealthSummary';

describe('EntityHealthSummary', () => {
  it('shows the entity health, volume counts per status and the service levels', async () => {
    const volumes = fullStorage.clusters.flatMap(cluster => cluster.volumes);
    await renderInTestApp(
      <EntityHealthSummary
        health={fullStorage.health}
        volumes={volumes}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );

    expect(screen.getByText('At risk')).toBeInTheDocument();
    expect(
      screen.getByText('1 of 3 volumes is not backed up.'),
    ).toBeInTheDocument();

    const counts = within(
      screen.getByRole('list', { name: 'Volumes by status' }),
    )
      .getAllByRole('listitem')
      .map(item => item.textContent);
    expect(counts).toEqual([
      'Protected: 1',
      'At risk: 1',
      'Unprotected: 1',
      'Unknown: 0',
    ]);

    const levels = screen.getByRole('list', { name: 'Service levels' });
    expect(levels).toHaveTextContent('Provisioning (PVC Bound): within 30 s');
    expect(levels).toHaveTextContent('Backup in S3: within 5 min');
    expect(levels).toHaveTextContent('Restore from S3: within 15 min');
    expect(levels).toHaveTextContent(
      "Last good backup: no older than its schedule's newest due run",
    );
  });
});
