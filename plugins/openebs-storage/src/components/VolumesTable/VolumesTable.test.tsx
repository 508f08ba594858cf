import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { freezeClock, fullStorage } from '../../testing/fixtures';
import { VolumesTable } from './VolumesTable';

describe('VolumesTable', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  async function renderTable() {
    await renderInTestApp(
      <VolumesTable
        clusters={fullStorage.clusters}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );
    const table = screen.getByRole('table', { name: 'Volumes' });
    const rowOf = (pvc: string) =>
      within(table).getByRole('cell', { name: pvc }).closest('tr')!;
    return { table, rowOf };
  }

  it('shows one row per volume with where its data lives and how it is protected', async () => {
    const { rowOf } = await renderTable();

    const hostpath = within(rowOf('data-shop-0'));
    expect(hostpath.getByRole('cell', { name: 'lab-a' })).toBeInTheDocument();
    expect(hostpath.getByRole('cell', { name: 'shop' })).toBeInTheDocument();
    expect(
      hostpath.getByRole('cell', { name: 'openebs-localpv-hostpath' }),
    ).toBeInTheDocument();
    expect(hostpath.getByText('OpenEBS hostpath')).toBeInTheDocument();
    // The node of a local volume is emphasised.
    expect(hostpath.getByText('lab-node-1').tagName).toBe('STRONG');
    expect(hostpath.getByText('10Gi / 10Gi')).toBeInTheDocument();
    expect(hostpath.getByText('Bound')).toBeInTheDocument();
    expect(hostpath.getByText('4 s')).toBeInTheDocument();
    expect(hostpath.getByText('Protected')).toBeInTheDocument();
    expect(
      hostpath.getByText('The daily schedule backed it up 9 h ago.'),
    ).toBeInTheDocument();
    expect(hostpath.getByText('9 h 53 min ago')).toBeInTheDocument();

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
