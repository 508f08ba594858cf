import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { alertApiRef } from '@backstage/frontend-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  EntityDrills,
  RestoreDrill,
  openebsStorageRestoreCreatePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { OpenebsStorageApi, openebsStorageApiRef } from '../../api';
import { freezeClock, shopEntity } from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import { RestoreDrillsCard } from './RestoreDrillsCard';

function drill(overrides: Partial<RestoreDrill>): RestoreDrill {
  return {
    id: 'd1',
    entityRef: 'component:default/shop',
    cluster: 'lab',
    sourceNamespace: 'shop',
    scratchNamespace: 'shop-restore-drill-0a1b2c3d',
    backupName: 'shop-daily-20261117020000',
    state: 'passed',
    startedBy: 'schedule',
    queuedAt: '2026-11-17T09:00:00Z',
    finishedAt: '2026-11-14T12:00:00Z',
    recoverySeconds: 250,
    volumes: [
      {
        claim: 'data-shop-0',
        bytesBackedUp: 2254857830,
        bytesRestored: 2254857830,
      },
    ],
    reason: '1 volume, 2.1 GiB restored, equal to what the backup holds',
    ...overrides,
  };
}

async function renderCard(
  drills: EntityDrills,
  more: Partial<OpenebsStorageApi> = {},
  allowed = [openebsStorageRestoreCreatePermission.name],
  entity = shopEntity,
) {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const api: Partial<OpenebsStorageApi> = {
    listDrills: jest.fn().mockResolvedValue(drills),
    ...more,
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openebsStorageApiRef, api],
        [alertApiRef, alertApi],
        [permissionApiRef, fakePermissionApi(allowed)],
      ]}
    >
      <RestoreDrillsCard entity={entity} />
    </TestApiProvider>,
  );
  return { api, alertApi };
}

describe('RestoreDrillsCard', () => {
  afterEach(() => jest.useRealTimers());

  it('says when the backup was last proven, how fast and how much, and that the evidence is intact', async () => {
    freezeClock();
    const passed = drill({});
    await renderCard({
      enrolled: { cadence: 'weekly', source: 'annotation' },
      drills: [
        drill({
          id: 'd2',
          state: 'failed',
          queuedAt: '2026-11-19T09:00:00Z',
          recoverySeconds: undefined,
          volumes: [],
          reason: 'Restored pods not Ready within 15 min: shop-0 (Pending)',
        }),
        passed,
      ],
      lastPassed: passed,
      evidence: { intact: true, records: 2, signed: true },
    });
    expect(
      await screen.findByText(
        'Last drill passed 3 d ago, recovered in 4 min 10 s, 2.1 GiB',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Evidence intact: 2 sealed records, signed (HMAC)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /^Enrolled by the annotation openebs.io\/restore-drill: a weekly drill/,
      ),
    ).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'Restore drills' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Failed');
    expect(rows[0]).toHaveTextContent('not Ready within 15 min');
    expect(rows[1]).toHaveTextContent('Passed');
    expect(rows[1]).toHaveTextContent('4 min 10 s');
    expect(rows[1]).toHaveTextContent('Schedule');
    // One timed drill is no trend.
    expect(screen.queryByText(/^Recovery times/)).toBeNull();
  });

  it('charts the recovery times once two are measured', async () => {
    freezeClock();
    const older = drill({
      id: 'd0',
      queuedAt: '2026-11-08T09:00:00Z',
      finishedAt: '2026-11-08T09:05:00Z',
      recoverySeconds: 200,
    });
    const newer = drill({});
    await renderCard({
      drills: [newer, older],
      lastPassed: newer,
      evidence: { intact: true, records: 2, signed: true },
    });
    expect(
      await screen.findByText(/^Recovery times \(service level 15 min\)/),
    ).toBeInTheDocument();
  });

  it("folds a failed verification's output under the reason", async () => {
    await renderCard({
      drills: [
        drill({
          state: 'failed',
          reason:
            "the entity's verification exited with 1 in shop-db-0: sha256sum: WARNING: 1 of 501 computed checksums did NOT match",
          verification: {
            command: 'cd /data/set && sha256sum -c ../set.sha256',
            pod: 'shop-db-0',
            passed: false,
            exitCode: 1,
            output:
              './small/7: FAILED\nsha256sum: WARNING: 1 of 501 computed checksums did NOT match',
          },
        }),
      ],
      evidence: { intact: true, records: 1, signed: true },
    });
    const [row] = within(
      await screen.findByRole('table', { name: 'Restore drills' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(row).toHaveTextContent('exited with 1 in shop-db-0');
    expect(
      within(row).getByText('Output of the verification'),
    ).toBeInTheDocument();
    expect(within(row).getByText(/\.\/small\/7: FAILED/)).toBeInTheDocument();
    expect(
      within(row).getByText('cd /data/set && sha256sum -c ../set.sha256'),
    ).toBeInTheDocument();
  });

  it('shows an altered chain as such, naming the record', async () => {
    await renderCard({
      drills: [],
      evidence: {
        intact: false,
        records: 3,
        signed: true,
        problem: 'record 2 does not match its hash (edited)',
      },
    });
    expect(
      await screen.findByText(
        'Evidence altered: record 2 does not match its hash (edited)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No restore drill has run for this entity yet.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Not enrolled for scheduled drills/),
    ).toBeInTheDocument();
  });

  it('runs a drill now and reloads; the button waits while one runs', async () => {
    const queued = drill({
      state: 'queued',
      finishedAt: undefined,
      recoverySeconds: undefined,
      volumes: [],
      reason: undefined,
    });
    const listDrills = jest
      .fn()
      .mockResolvedValueOnce({
        drills: [],
        evidence: { intact: true, records: 0, signed: true },
      })
      .mockResolvedValue({
        drills: [queued],
        evidence: { intact: true, records: 0, signed: true },
      });
    const runDrill = jest.fn().mockResolvedValue(queued);
    const { alertApi } = await renderCard(
      { drills: [], evidence: { intact: true, records: 0, signed: true } },
      { listDrills, runDrill },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Run a drill now' }),
    );
    expect(runDrill).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'shop',
      name: 'shop',
    });
    expect(
      await screen.findByRole('button', { name: 'Drill running' }),
    ).toBeDisabled();
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: expect.stringContaining('shop-restore-drill-0a1b2c3d'),
        severity: 'success',
      }),
    );
  });

  it("sets the tab's enrolment, which then says who chose it", async () => {
    const enrolledOnTab: EntityDrills = {
      enrolled: {
        cadence: 'daily',
        source: 'tab',
        setBy: 'user:default/guest',
        setAt: '2026-11-18T09:00:00Z',
      },
      annotated: 'weekly',
      tabChoice: 'daily',
      drills: [],
      evidence: { intact: true, records: 0, signed: true },
    };
    const listDrills = jest
      .fn()
      .mockResolvedValueOnce({
        enrolled: { cadence: 'weekly', source: 'annotation' },
        annotated: 'weekly',
        drills: [],
        evidence: { intact: true, records: 0, signed: true },
      })
      .mockResolvedValue(enrolledOnTab);
    const setDrillEnrolment = jest.fn().mockResolvedValue(enrolledOnTab);
    await renderCard(
      { drills: [], evidence: { intact: true, records: 0, signed: true } },
      { listDrills, setDrillEnrolment },
    );
    const select = await screen.findByLabelText('Scheduled drills');
    expect(select).toHaveDisplayValue('As the annotation says (weekly)');
    await userEvent.selectOptions(select, 'Daily');
    expect(setDrillEnrolment).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'shop', name: 'shop' },
      { cadence: 'daily' },
    );
    expect(
      await screen.findByText(
        /^Enrolled on this tab by guest: a daily drill restores/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Scheduled drills')).toHaveDisplayValue(
      'Daily',
    );
  });

  it('says why a drill was refused, and offers no run without the permission', async () => {
    const runDrill = jest
      .fn()
      .mockRejectedValue(
        new Error(
          'component:default/shop has no volume with a good backup to drill',
        ),
      );
    const { alertApi } = await renderCard(
      { drills: [], evidence: { intact: true, records: 0, signed: true } },
      { runDrill },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Run a drill now' }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message:
          'component:default/shop has no volume with a good backup to drill',
        severity: 'error',
      }),
    );
  });

  it('disables the run without the restore permission', async () => {
    await renderCard(
      { drills: [], evidence: { intact: true, records: 0, signed: true } },
      {},
      [],
      // usePermission caches per entity for the file: another entity.
      { ...shopEntity, metadata: { ...shopEntity.metadata, name: 'locked' } },
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Run a drill now' }),
      ).toBeDisabled(),
    );
  });
});
