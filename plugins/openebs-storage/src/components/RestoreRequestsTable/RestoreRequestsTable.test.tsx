import { screen, waitFor, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { openebsStorageApiRef } from '../../api';
import { freezeClock, fullStorage } from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import {
  allRestores,
  cancelledRestore,
  completedRestore,
  failedRestore,
  guidedInPlaceRestore,
  inProgressRestore,
  slowInPlaceRestore,
} from '../../testing/restores';
import {
  RestoreRequestsTable,
  RestoreRequestsTableProps,
} from './RestoreRequestsTable';

async function renderTable(props: Partial<RestoreRequestsTableProps>) {
  await renderInTestApp(
    <RestoreRequestsTable
      loading={false}
      serviceLevels={fullStorage.serviceLevels}
      entityRef="component:shop/shop"
      {...props}
    />,
  );
}

describe('RestoreRequestsTable', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('shows the steps of an in-place restore', async () => {
    await renderTable({ restores: [guidedInPlaceRestore, inProgressRestore] });
    const steps = screen.getByRole('list', {
      name: 'In-place restore steps',
    });
    expect(
      within(steps)
        .getAllByRole('listitem')
        .map(item => item.getAttribute('aria-label')),
    ).toEqual([
      'Stop the workloads: done',
      'Remove the claims: done',
      'Restore with Velero: running',
      'Remove the restore pods: to do',
      'Start the workloads: to do',
    ]);
    // What a step still to come will do is said; a done one is not repeated.
    expect(
      within(steps).getByText(
        'Delete the pods Velero ran to write the data back',
      ),
    ).toBeInTheDocument();
    expect(
      within(steps).queryByText('Delete claim(s) data-db-0'),
    ).not.toBeInTheDocument();
  });

  it('follows a running restore and shows where completed data came back', async () => {
    await renderTable({ restores: allRestores });

    const table = screen.getByRole('table', { name: 'Restores' });
    expect(
      within(table).getByRole('columnheader', {
        name: 'Duration (limit 15 min)',
      }),
    ).toBeInTheDocument();
    const rowOf = (restoreName: string) =>
      within(
        within(table)
          .getByText(new RegExp(`restore ${restoreName}$`))
          .closest('tr')!,
      );

    // Newest first, as the backend sent them.
    const [, ...rows] = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toHaveTextContent(inProgressRestore.restoreName);

    const running = rowOf(inProgressRestore.restoreName);
    expect(running.getByText('2026-11-17 11:50 UTC')).toBeInTheDocument();
    expect(running.getByText('jane.doe')).toBeInTheDocument();
    expect(running.getByText('data-shop-0, data-db-0')).toBeInTheDocument();
    expect(running.getByText('New namespace')).toBeInTheDocument();
    expect(running.getByText('In progress')).toBeInTheDocument();
    // 1 of 2 GiB plus 0.5 of 4 GiB.
    expect(
      running.getByRole('progressbar', {
        name: `Data restored by ${inProgressRestore.restoreName}`,
      }),
    ).toHaveAttribute('aria-valuenow', '25');
    expect(running.getByText('1.5 GiB of 6 GiB')).toBeInTheDocument();
    expect(running.getByText('Velero: InProgress')).toBeInTheDocument();
    // Started 11:50:05, now 12:00:00.
    expect(running.getByText(/9 min 55 s/).closest('td')).toHaveTextContent(
      '9 min 55 s so far',
    );
    expect(running.getByText('shop-restore-20261117-1150')).toBeInTheDocument();
    expect(running.getByText(/data-shop-0 on/)).toHaveTextContent(
      'data-shop-0 on lab-node-2',
    );

    const completed = rowOf(completedRestore.restoreName);
    expect(
      completed.getByText('Completed', { selector: 'span' }),
    ).toBeInTheDocument();
    expect(completed.getByText('9 min')).toBeInTheDocument();
    expect(completed.queryByText(/over the/)).not.toBeInTheDocument();
    expect(completed.queryByRole('progressbar')).not.toBeInTheDocument();
    // The hostpath volume came back on another node: the tab says which.
    expect(completed.getByText(/data-shop-0 on/)).toHaveTextContent(
      'data-shop-0 on lab-node-3',
    );
  });

  it('says which restore Velero runs while this one waits', async () => {
    const queued = {
      ...inProgressRestore,
      phase: 'New',
      startedAt: undefined,
      volumeProgress: [],
      queuedBehind: {
        restoreName: 'billing-restore-20261117-1000-q1w2e',
        startedAt: '2026-11-17T10:00:00Z',
      },
    };
    await renderTable({ restores: [queued, completedRestore] });

    expect(
      screen.getByText(
        'Queued behind billing-restore-20261117-1000-q1w2e: Velero runs one restore at a time, and started that one 2 h ago.',
      ),
    ).toBeInTheDocument();
    // Only the waiting restore says so.
    expect(screen.getAllByText(/^Queued behind/)).toHaveLength(1);
  });

  it('flags a restore over the 15-minute limit and says why one failed', async () => {
    await renderTable({ restores: [slowInPlaceRestore, failedRestore] });

    const table = screen.getByRole('table', { name: 'Restores' });
    const rowOf = (restoreName: string) =>
      within(
        within(table)
          .getByText(new RegExp(`restore ${restoreName}$`))
          .closest('tr')!,
      );

    const slow = rowOf(slowInPlaceRestore.restoreName);
    expect(slow.getByText('In place')).toBeInTheDocument();
    expect(slow.getByText('platform-admin')).toBeInTheDocument();
    expect(slow.getByText('Partially failed')).toBeInTheDocument();
    expect(
      slow.getByText('20 min (over the 15 min limit)'),
    ).toBeInTheDocument();
    expect(slow.getByText('3 warnings, 1 error')).toBeInTheDocument();

    const failed = rowOf(failedRestore.restoreName);
    expect(
      failed.getByText('Failed', { selector: 'span' }),
    ).toBeInTheDocument();
    expect(
      failed.getByText(
        'error restoring data-shop-0: kopia repository not found in s3://openebs-backups',
      ),
    ).toBeInTheDocument();
    expect(
      failed.getByText('data-shop-0 (Failed): repository not initialised'),
    ).toBeInTheDocument();
  });

  it("shows the end of Velero's log of a failed restore, or why it is missing", async () => {
    const logLine = 'level=error msg="kopia repository not found"';
    await renderTable({
      restores: [
        { ...failedRestore, logState: 'fetched', logExcerpt: logLine },
        {
          ...slowInPlaceRestore,
          logState: 'unavailable',
          logExcerpt: 'The object store holding the restore log is unreachable',
        },
      ],
    });
    expect(
      screen.getByText('Velero restore log (last lines)'),
    ).toBeInTheDocument();
    expect(screen.getByText(logLine)).toBeInTheDocument();
    expect(
      screen.getByText(
        'Velero restore log unavailable: The object store holding the restore log is unreachable',
      ),
    ).toBeInTheDocument();
  });

  it('shows a cancelled restore and who cancelled it', async () => {
    await renderTable({ restores: [cancelledRestore, completedRestore] });

    const row = within(
      screen
        .getByText(`restore ${cancelledRestore.restoreName}`)
        .closest('tr')!,
    );
    expect(row.getByText('Cancelled')).toBeInTheDocument();
    expect(row.getByText('by platform-admin')).toBeInTheDocument();
    expect(row.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getAllByText(/^by /)).toHaveLength(1);
  });

  it('offers no Cancel to users without the restore admin permission', async () => {
    // The admin permission is basic: usePermission caches its decision for
    // the whole file, so this file only ever denies it (see
    // CancelRestoreButton.test.tsx for the platform admins).
    const permissionApi = fakePermissionApi([]);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [openebsStorageApiRef, { cancelRestore: jest.fn() }],
          [permissionApiRef, permissionApi],
        ]}
      >
        <RestoreRequestsTable
          loading={false}
          serviceLevels={fullStorage.serviceLevels}
          entityRef="component:shop/shop"
          restores={allRestores}
          onCancelled={jest.fn()}
        />
      </TestApiProvider>,
    );

    await waitFor(() =>
      expect(permissionApi.authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: expect.objectContaining({
            name: 'openebs.storage.restore.admin',
          }),
        }),
      ),
    );
    expect(screen.getByRole('table', { name: 'Restores' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Cancel/ }),
    ).not.toBeInTheDocument();
  });

  it('says how to request a restore when there is none', async () => {
    await renderTable({ restores: [] });
    expect(
      screen.getByText(
        'No restores requested for this entity yet. Use Restore… on a backup.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderTable({ loading: true });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('keeps the list on screen while it reloads', async () => {
    await renderTable({ loading: true, restores: [completedRestore] });
    expect(screen.getByRole('table', { name: 'Restores' })).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('names the permission needed to see the restores', async () => {
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'Unauthorized' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await renderTable({ error: refused });
    expect(
      screen.getByText('You may not see the restores of this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /needs the openebs\.storage\.read permission for component:shop\/shop/,
      ),
    ).toBeInTheDocument();
  });
});
