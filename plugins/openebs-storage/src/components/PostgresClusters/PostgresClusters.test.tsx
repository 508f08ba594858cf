import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { ClusterStorage } from '@openebs-portal/plugin-openebs-storage-common';
import { freezeClock, fullStorage } from '../../testing/fixtures';
import { PostgresClusters } from './PostgresClusters';

const withDatabases: ClusterStorage = {
  ...fullStorage.clusters[0],
  databases: [
    {
      namespace: 'shop',
      name: 'orders',
      instances: 1,
      readyInstances: 1,
      phase: 'Cluster in healthy state',
      currentPrimary: 'orders-1',
      storageClass: 'openebs-localpv-hostpath',
      archive: {
        objectStore: 'archive',
        serverName: 'orders',
        archiving: { ok: true, message: 'Continuous archiving is working' },
        firstRecoverabilityPoint: '2026-11-17T10:00:00Z',
        lastSuccessfulBackup: '2026-11-17T11:00:00Z',
      },
    },
    {
      namespace: 'shop',
      name: 'orders-openebs',
      instances: 1,
      readyInstances: 0,
      phase: 'Setting up primary',
      replicaOf: 'orders',
      archive: {
        objectStore: 'archive',
        serverName: 'orders-openebs',
        archiving: {
          ok: false,
          message: 'unexpected failure invoking barman-cloud-wal-archive',
        },
        lastFailedBackup: '2026-11-17T11:30:00Z',
      },
    },
    {
      namespace: 'shop',
      name: 'scratch',
      instances: 2,
      readyInstances: 2,
    },
  ],
};

describe('PostgresClusters', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('shows each cluster’s instances, class, archive and recovery window, a failing archive and a replica marked', async () => {
    await renderInTestApp(<PostgresClusters clusters={[withDatabases]} />);
    const table = screen.getByRole('table', { name: 'PostgreSQL clusters' });
    const [, orders, replica, scratch] = within(table).getAllByRole('row');

    expect(within(orders).getByText('shop/orders')).toBeInTheDocument();
    expect(within(orders).getByText('1/1 ready')).toBeInTheDocument();
    expect(
      within(orders).getByText('openebs-localpv-hostpath'),
    ).toBeInTheDocument();
    expect(within(orders).getByText('Archiving')).toBeInTheDocument();
    expect(within(orders).getByText('archive · orders')).toBeInTheDocument();
    expect(within(orders).getByText('2 h ago')).toBeInTheDocument();
    expect(within(orders).getByText('1 h ago')).toBeInTheDocument();

    expect(
      within(replica).getByText(/replica of orders \(takes no writes\)/),
    ).toBeInTheDocument();
    expect(within(replica).getByText('0/1 ready')).toBeInTheDocument();
    expect(within(replica).getByText('Archiving failing')).toBeInTheDocument();
    expect(
      within(replica).getByText(/unexpected failure invoking/),
    ).toBeInTheDocument();
    expect(within(replica).getByText(/^last failed /)).toBeInTheDocument();

    expect(
      within(scratch).getByText(
        "No WAL archive: only its volumes' backups can bring it back",
      ),
    ).toBeInTheDocument();
  });

  it('renders nothing for an entity without CloudNativePG clusters', async () => {
    await renderInTestApp(<PostgresClusters clusters={fullStorage.clusters} />);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
