import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { fullStorage } from '../../testing/fixtures';
import { ClusterErrors } from './ClusterErrors';

describe('ClusterErrors', () => {
  it('warns once per failing cluster, with each reason and message', async () => {
    const [labA, labB] = fullStorage.clusters;
    await renderInTestApp(
      <ClusterErrors
        clusters={[
          labA,
          labB,
          {
            ...labB,
            cluster: 'lab-c',
            errors: [
              {
                reason: 'forbidden',
                resource: 'velero.io/v1 backups',
                message: 'backups.velero.io is forbidden',
              },
              { reason: 'not-synced', message: 'Informers are starting' },
            ],
          },
        ]}
      />,
    );

    const alerts = screen.getAllByRole('alert');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toHaveTextContent(
      'Storage data of cluster lab-b is incomplete',
    );
    const labC = within(alerts[1]);
    expect(
      labC.getByText(
        'Access denied to the portal (velero.io/v1 backups): backups.velero.io is forbidden',
      ),
    ).toBeInTheDocument();
    expect(
      labC.getByText('Not synced yet: Informers are starting'),
    ).toBeInTheDocument();
  });
});
