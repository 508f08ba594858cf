import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ClusterStorage,
  PostgresMigrationPlan,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { freezeClock, fullStorage } from '../../testing/fixtures';
import { createFromTemplateRouteRef } from '../../routes';
import { PostgresClusters } from './PostgresClusters';

const withDatabases: ClusterStorage = {
  ...fullStorage.clusters[0],
  migrationTargets: ['openebs-localpv-hostpath'],
  databases: [
    {
      namespace: 'shop',
      name: 'orders',
      instances: 1,
      readyInstances: 1,
      phase: 'Cluster in healthy state',
      currentPrimary: 'orders-1',
      storageClass: 'openebs-localpv-hostpath',
      claims: ['orders-1'],
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
      claims: ['orders-openebs-1'],
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
      storageClass: 'standard',
      claims: ['scratch-1', 'scratch-2'],
    },
  ],
};

async function renderCard(
  getPostgresMigrationPlan: jest.Mock,
  withScaffolder = false,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[[openebsStorageApiRef, { getPostgresMigrationPlan }]]}
    >
      <PostgresClusters
        clusters={[withDatabases]}
        entityRef="component:shop/shop"
      />
    </TestApiProvider>,
    withScaffolder
      ? {
          mountedRoutes: {
            '/create/templates/:namespace/:templateName':
              createFromTemplateRouteRef,
          },
        }
      : {},
  );
}

const plan: PostgresMigrationPlan = {
  namespace: 'shop',
  cluster: 'scratch',
  target: { name: 'scratch-openebs', storageClass: 'openebs-localpv-hostpath' },
  existingPatch: 'spec:\n  replica:\n    primary: scratch\n',
  replicaCluster: 'kind: Cluster\nmetadata:\n  name: scratch-openebs\n',
  switchover: [
    { title: 'Demote scratch', command: 'kubectl -n shop patch … demote' },
    { title: 'Read the token', command: 'kubectl -n shop get … token' },
    {
      title: 'Promote scratch-openebs',
      command: 'kubectl -n shop patch … promote',
    },
  ],
  rollback: [
    {
      title: 'Demote scratch-openebs',
      command: 'kubectl -n shop patch … back',
    },
    { title: 'Read its token', command: 'kubectl -n shop get … its token' },
    { title: 'Promote scratch', command: 'kubectl -n shop patch … again' },
  ],
};

describe('PostgresClusters', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('shows each cluster’s instances, class, archive and recovery window, a failing archive and a replica marked', async () => {
    await renderCard(jest.fn());
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

  it('offers the migration plan only for a primary not on OpenEBS, and shows what to commit and run', async () => {
    const getPostgresMigrationPlan = jest.fn().mockResolvedValue(plan);
    await renderCard(getPostgresMigrationPlan);
    const table = screen.getByRole('table', { name: 'PostgreSQL clusters' });
    const [, orders, replica, scratch] = within(table).getAllByRole('row');
    // On OpenEBS already, and a replica: nothing to move.
    for (const row of [orders, replica]) {
      expect(
        within(row).queryByRole('button', { name: 'Migration plan…' }),
      ).not.toBeInTheDocument();
    }
    await userEvent.click(
      within(scratch).getByRole('button', { name: 'Migration plan…' }),
    );
    expect(getPostgresMigrationPlan).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'shop', name: 'shop' },
      {
        cluster: 'lab-a',
        namespace: 'shop',
        name: 'scratch',
        targetClass: 'openebs-localpv-hostpath',
      },
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Move shop/scratch onto openebs-localpv-hostpath',
    });
    // Highlighted code splits words into spans: the dialog's text as read.
    await waitFor(() =>
      expect(dialog).toHaveTextContent(/name:\s*scratch-openebs/),
    );
    expect(dialog).toHaveTextContent(/replica:\s*primary:\s*scratch/);
    expect(dialog).toHaveTextContent('kubectl -n shop get … token');
    expect(dialog).toHaveTextContent('4. The rollback');
    expect(dialog).toHaveTextContent('kubectl -n shop patch … again');
  });

  it('links the plan to the template that proposes it in Git, where the app has the scaffolder', async () => {
    await renderCard(jest.fn().mockResolvedValue(plan), true);
    await userEvent.click(
      screen.getByRole('button', { name: 'Migration plan…' }),
    );
    const dialog = await screen.findByRole('dialog');
    const link = await within(dialog).findByRole('button', {
      name: 'Propose in Git…',
    });
    const url = new URL(link.getAttribute('href')!, 'http://portal');
    expect(url.pathname).toBe('/create/templates/default/openebs-cnpg-replica');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      entityRef: 'component:shop/shop',
      cluster: 'lab-a',
      namespace: 'shop',
      database: 'scratch',
      targetClass: 'openebs-localpv-hostpath',
    });
  });

  it('offers to record in Git, on the Cluster another follows, which one leads, where the app has the scaffolder', async () => {
    await renderCard(jest.fn(), true);
    const table = screen.getByRole('table', { name: 'PostgreSQL clusters' });
    const [, orders, replica, scratch] = within(table).getAllByRole('row');
    const link = within(orders).getByRole('button', {
      name: 'Record in Git…',
    });
    const url = new URL(link.getAttribute('href')!, 'http://portal');
    expect(url.pathname).toBe('/create/templates/default/openebs-cnpg-primary');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      entityRef: 'component:shop/shop',
      cluster: 'lab-a',
      namespace: 'shop',
      primary: 'orders',
      replica: 'orders-openebs',
    });
    for (const row of [replica, scratch]) {
      expect(
        within(row).queryByRole('button', { name: 'Record in Git…' }),
      ).not.toBeInTheDocument();
    }
  });

  it('offers no pull request without the scaffolder', async () => {
    await renderCard(jest.fn().mockResolvedValue(plan));
    await userEvent.click(
      screen.getByRole('button', { name: 'Migration plan…' }),
    );
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(dialog).toHaveTextContent(/pg_basebackup|Cluster/),
    );
    expect(
      within(dialog).queryByRole('button', { name: 'Propose in Git…' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Record in Git…' }),
    ).not.toBeInTheDocument();
  });

  it('offers one plan per OpenEBS class, named, where the cluster has several', async () => {
    const getPostgresMigrationPlan = jest.fn().mockResolvedValue(plan);
    await renderInTestApp(
      <TestApiProvider
        apis={[[openebsStorageApiRef, { getPostgresMigrationPlan }]]}
      >
        <PostgresClusters
          clusters={[
            {
              ...withDatabases,
              migrationTargets: ['openebs-fast', 'openebs-localpv-hostpath'],
            },
          ]}
          entityRef="component:shop/shop"
        />
      </TestApiProvider>,
    );
    expect(
      screen.getByRole('button', { name: 'Migration plan onto openebs-fast…' }),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Migration plan onto openebs-localpv-hostpath…',
      }),
    );
    expect(getPostgresMigrationPlan).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ targetClass: 'openebs-localpv-hostpath' }),
    );
  });

  it('shows why the plan was refused', async () => {
    const refused = Object.assign(
      new Error("Cluster shop/scratch is not component:shop/shop's"),
      { name: 'NotAllowedError' },
    );
    await renderCard(jest.fn().mockRejectedValue(refused));
    await userEvent.click(
      screen.getByRole('button', { name: 'Migration plan…' }),
    );
    expect(
      await screen.findByText('The migration plan could not be made'),
    ).toBeInTheDocument();
  });

  it('renders nothing for an entity without CloudNativePG clusters', async () => {
    await renderInTestApp(
      <PostgresClusters
        clusters={fullStorage.clusters}
        entityRef="component:shop/shop"
      />,
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
