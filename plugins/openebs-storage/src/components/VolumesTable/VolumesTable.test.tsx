import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import {
  deletedVolume,
  freezeClock,
  fullStorage,
} from '../../testing/fixtures';
import { VolumeStatus } from '@openebs-portal/plugin-openebs-storage-common';
import { VolumesTable } from './VolumesTable';

describe('VolumesTable', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  async function renderTable(clusters = fullStorage.clusters) {
    await renderInTestApp(
      <VolumesTable
        clusters={clusters}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );
    const table = screen.getByRole('table', { name: 'Volumes' });
    const rowOf = (pvc: string) =>
      within(table).getByRole('cell', { name: pvc }).closest('tr')!;
    return { table, rowOf };
  }

  /** The fixture clusters with one of lab-a's volumes changed. */
  function withVolume(name: string, change: Partial<VolumeStatus>) {
    const [labA, labB] = fullStorage.clusters;
    return [
      {
        ...labA,
        volumes: labA.volumes.map(volume =>
          volume.name === name ? { ...volume, ...change } : volume,
        ),
      },
      labB,
    ];
  }

  it("flags a recovery point older than its schedule's due run", async () => {
    const { rowOf } = await renderTable(
      withVolume('data-shop-0', {
        recoveryPoint: {
          schedule: 'hourly',
          cron: '0 * * * *',
          intervalSeconds: 3600,
          dueAt: '2026-11-17T11:00:00Z',
          at: '2026-11-17T02:00:00Z',
          ageSeconds: 36000,
          overdue: true,
        },
      }),
    );
    const row = within(rowOf('data-shop-0'));
    expect(row.getByText('10 h ago')).toBeInTheDocument();
    expect(
      row.getByText('overdue: hourly was due 2026-11-17 11:00 UTC'),
    ).toBeInTheDocument();
    expect(row.queryByText(/^every /)).not.toBeInTheDocument();
  });

  it('shows one row per volume with where its data lives and how it is protected', async () => {
    const { rowOf } = await renderTable();

    const hostpath = within(rowOf('data-shop-0'));
    expect(hostpath.getByRole('cell', { name: 'lab-a' })).toBeInTheDocument();
    expect(hostpath.getByRole('cell', { name: 'shop' })).toBeInTheDocument();
    // The class, and under it the engine as people say it.
    const classCell = within(
      hostpath.getByText('openebs-localpv-hostpath').closest('td')!,
    );
    expect(classCell.getByText('OpenEBS hostpath')).toBeInTheDocument();
    // The node of a local volume is emphasised.
    expect(hostpath.getByText('lab-node-1').tagName).toBe('STRONG');
    expect(hostpath.getByText('10Gi / 10Gi')).toBeInTheDocument();
    expect(hostpath.getByText('Bound')).toBeInTheDocument();
    expect(hostpath.getByText('4 s')).toBeInTheDocument();
    expect(hostpath.getByText('Protected')).toBeInTheDocument();
    expect(
      hostpath.getByText('The daily schedule backed it up 9 h ago.'),
    ).toBeInTheDocument();
    // The recovery point: when the data was read, against its schedule.
    expect(hostpath.getByText('10 h ago')).toBeInTheDocument();
    expect(hostpath.getByText('every 1 d (daily)')).toBeInTheDocument();

    const lvm = within(rowOf('data-db-0'));
    expect(lvm.getByText('OpenEBS LVM')).toBeInTheDocument();
    expect(lvm.getByText('45 s (over the 30 s limit)')).toBeInTheDocument();
    expect(lvm.getByText('At risk')).toBeInTheDocument();

    const other = within(rowOf('cache-redis-0'));
    expect(
      other.getByText('not OpenEBS (migration candidate)'),
    ).toBeInTheDocument();
    expect(other.getByText('Unprotected')).toBeInTheDocument();
    expect(other.getByText('never')).toBeInTheDocument();
  });

  it('keeps names, phases and durations whole; only the health reason wraps', async () => {
    const { rowOf } = await renderTable();
    // Backstage's theme breaks table cells anywhere ("Clu/ste/r"): not these.
    const row = within(rowOf('data-db-0'));
    for (const text of ['lab-a', 'data-db-0', 'lab-node-2', '20Gi / 20Gi']) {
      expect(row.getByRole('cell', { name: text })).toHaveStyle({
        whiteSpace: 'nowrap',
      });
    }
    expect(row.getByText('openebs-lvmpv')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
    expect(row.getByText('Bound').closest('td')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
    // A duration over its limit breaks only between the duration and the
    // limit, never inside either.
    expect(row.getByText('45 s (over the 30 s limit)').textContent).toBe(
      '45\u00a0s (over\u00a0the\u00a030\u00a0s\u00a0limit)',
    );
    expect(
      row.getByText('The newest backup partially failed.').closest('td'),
    ).toHaveStyle({ whiteSpace: 'normal', minWidth: '180px' });
  });

  it('shows a deleted claim as restorable from backup, without node or capacity', async () => {
    const [labA, labB] = fullStorage.clusters;
    const { rowOf } = await renderTable([
      { ...labA, volumes: [...labA.volumes, deletedVolume] },
      labB,
    ]);

    const deleted = within(rowOf('data-shop-1'));
    const phase = within(deleted.getByText('Deleted').closest('td')!);
    expect(phase.getByLabelText('Status aborted')).toBeInTheDocument();
    expect(phase.getByText('restorable from backup')).toBeInTheDocument();
    expect(deleted.getByText('unknown (claim deleted)')).toBeInTheDocument();
    // Node, capacity and provisioning: nothing left to show.
    expect(deleted.getAllByRole('cell', { name: '—' })).toHaveLength(3);
    expect(deleted.getByText('Unknown')).toBeInTheDocument();
    expect(
      deleted.getByText(
        'The claim was deleted; its last good backup daily-20261116020000 can be restored',
      ),
    ).toBeInTheDocument();
    expect(deleted.getByText('34 h ago')).toBeInTheDocument();
  });

  it("says when a volume's node is NotReady or gone, with the reason and the way out", async () => {
    const reason =
      'Data unreachable: node lab-node-1 is NotReady since 2026-11-17T11:40:00Z; pods stuck: shop-0. Restore its newest good backup daily-20261117020000 into a new namespace or in place (platform admins; owners with their approval), or wait for the node';
    const { rowOf } = await renderTable(
      withVolume('data-shop-0', {
        nodeHealth: {
          state: 'not-ready',
          since: '2026-11-17T11:40:00Z',
          stuckPods: ['shop-0'],
        },
        health: { status: 'at-risk', reason },
      }),
    );
    const row = within(rowOf('data-shop-0'));
    const nodeCell = within(row.getByText('lab-node-1').closest('td')!);
    expect(
      nodeCell.getByText('NotReady (changed 20 min ago)'),
    ).toBeInTheDocument();
    expect(nodeCell.getByLabelText('Status error')).toBeInTheDocument();
    expect(row.getByText('At risk')).toBeInTheDocument();
    expect(row.getByText(reason)).toBeInTheDocument();
    // A Ready node says nothing more than its name.
    expect(
      within(rowOf('data-db-0')).queryByText(/NotReady|node gone/),
    ).not.toBeInTheDocument();
  });

  it('says when the node of a volume is gone', async () => {
    const { rowOf } = await renderTable(
      withVolume('data-shop-0', {
        nodeHealth: { state: 'missing', stuckPods: [] },
      }),
    );
    expect(
      within(rowOf('data-shop-0')).getByText('node gone'),
    ).toBeInTheDocument();
  });

  it('says where the owner of a namespace is not recorded', async () => {
    const { rowOf } = await renderTable(
      withVolume('data-db-0', {
        namespace: 'legacy',
        namespaceOwner: undefined,
      }),
    );

    const namespaceCell = within(rowOf('data-db-0'))
      .getByText('legacy')
      .closest('td')!;
    expect(namespaceCell).toHaveTextContent(
      'legacyOwner not recorded: restores by platform admins only',
    );
    // The note wraps; the namespace does not.
    expect(
      within(namespaceCell).getByText(
        'Owner not recorded: restores by platform admins only',
      ),
    ).toHaveStyle({ whiteSpace: 'normal' });
    expect(
      within(rowOf('data-shop-0')).queryByText(/Owner not recorded/),
    ).not.toBeInTheDocument();
  });

  it('expands a volume into its details', async () => {
    await renderTable();
    const toggle = screen.getByRole('button', {
      name: 'Details of shop/data-db-0 in lab-a',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.queryByRole('table', { name: 'Snapshots of data-db-0' }),
    ).not.toBeInTheDocument();

    await userEvent.click(toggle);

    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(
      screen.getByRole('table', { name: 'Snapshots of data-db-0' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Backups of data-db-0' }),
    ).toBeInTheDocument();
  });
});
