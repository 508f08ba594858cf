import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  VolumeMigration,
  VolumeStatus,
  openebsStorageMigratePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { createFromTemplateRouteRef } from '../../routes';
import {
  fullStorage,
  hostpathVolume,
  otherVolume,
} from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import { MigrateButton } from './MigrateButton';
import { MigrationActions, MigrationContext } from './MigrationContext';
import { MigrationsCard } from './MigrationsCard';

// usePermission caches a decision per entity for the whole file (see
// testing/permissions.ts): each test asks about its own entity.
const entityOf = (name: string) => ({
  kind: 'component',
  namespace: 'shop',
  name,
});
const withTargets = fullStorage.clusters.map(c => ({
  ...c,
  migrationTargets: ['openebs-hostpath', 'openebs-localpv-hostpath'],
}));

const migration: VolumeMigration = {
  id: 'mig-1',
  requestId: '00000000-0000-4000-8000-000000000001',
  entityRef: 'component:shop/shop',
  cluster: 'lab-a',
  namespace: 'shop',
  claim: 'cache-redis-0',
  claimUid: 'uid-other',
  capacity: '1Gi',
  accessModes: ['ReadWriteOnce'],
  claimLabels: {},
  source: { name: 'pv-old', storageClass: 'standard', reclaimPolicy: 'Delete' },
  target: {
    name: 'pv-new',
    storageClass: 'openebs-hostpath',
    reclaimPolicy: 'Delete',
  },
  targetClass: 'openebs-hostpath',
  copyClaim: 'cache-redis-0-openebs-mig1',
  workloads: [{ kind: 'StatefulSet', name: 'redis', replicas: 1 }],
  steps: [
    { name: 'stop-workloads', state: 'done', detail: 'Scale' },
    { name: 'copy', state: 'done', detail: 'Copy' },
    { name: 'swap-claim', state: 'done', detail: 'Bind' },
    { name: 'start-workloads', state: 'done', detail: 'Start' },
  ],
  state: 'awaiting-confirmation',
  requestedBy: 'user:default/jane.doe',
  requestedAt: '2026-11-17T11:00:00Z',
  manifest: { files: 1234, bytes: 5 * 1048576, sha256: 'ab'.repeat(32) },
  downtimeSeconds: 42,
  updatedAt: '2026-11-17T11:02:00Z',
};

async function renderButton(
  volume: VolumeStatus,
  allowed: string[],
  api: object,
  actions: Partial<MigrationActions> = {},
  entityName = expect
    .getState()
    .currentTestName!.replace(/\W+/g, '-')
    .slice(0, 60),
) {
  const onRequested = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openebsStorageApiRef, api],
        [permissionApiRef, fakePermissionApi(allowed)],
      ]}
    >
      <MigrationContext.Provider
        value={{
          entityRef: entityOf(entityName),
          clusters: withTargets,
          migrations: [],
          onRequested,
          ...actions,
        }}
      >
        <MigrateButton volume={volume} />
      </MigrationContext.Provider>
    </TestApiProvider>,
  );
  return { onRequested };
}

const migrateName = `Migrate shop/${otherVolume.name} to OpenEBS`;

describe('MigrateButton', () => {
  it('is offered only on volumes that are not on OpenEBS', async () => {
    await renderButton(
      hostpathVolume,
      [openebsStorageMigratePermission.name],
      {},
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('says why it is disabled without the permission', async () => {
    await renderButton(otherVolume, [], {});
    expect(screen.getByRole('button', { name: migrateName })).toBeDisabled();
    expect(
      screen.getByText(/needs the openebs.storage.migrate permission/),
    ).toBeInTheDocument();
  });

  it("is disabled on a CloudNativePG cluster's volume, which moves with the cluster's plan", async () => {
    await renderButton(
      otherVolume,
      [openebsStorageMigratePermission.name],
      {},
      {
        clusters: withTargets.map(c => ({
          ...c,
          databases: [
            {
              namespace: otherVolume.namespace,
              name: 'orders',
              instances: 1,
              readyInstances: 1,
              claims: [otherVolume.name],
            },
          ],
        })),
      },
    );
    expect(screen.getByRole('button', { name: migrateName })).toBeDisabled();
    expect(
      screen.getByText(
        /A volume of CloudNativePG cluster orders: it moves with the cluster's migration plan/,
      ),
    ).toBeInTheDocument();
  });

  it('is disabled while a migration of the claim runs', async () => {
    await renderButton(
      otherVolume,
      [openebsStorageMigratePermission.name],
      {},
      {
        migrations: [{ ...migration, state: 'in-progress' }],
      },
    );
    expect(screen.getByRole('button', { name: migrateName })).toBeDisabled();
    expect(screen.getByText(/is in-progress/)).toBeInTheDocument();
  });

  it('requests the migration to the class chosen, and shows a refusal as the server words it', async () => {
    const requestMigration = jest
      .fn()
      .mockRejectedValueOnce(
        await ResponseError.fromResponse({
          ok: false,
          status: 403,
          statusText: 'Forbidden',
          headers: new Headers({ 'content-type': 'application/json' }),
          text: async () =>
            JSON.stringify({
              error: {
                name: 'NotAllowedError',
                message: 'Namespace shop is recorded as group:default/x',
              },
              response: { statusCode: 403 },
            }),
        } as Response),
      )
      .mockResolvedValueOnce(migration);
    const { onRequested } = await renderButton(
      otherVolume,
      [openebsStorageMigratePermission.name],
      { requestMigration },
    );
    await userEvent.click(screen.getByRole('button', { name: migrateName }));
    const dialog = await screen.findByRole('dialog', {
      name: `Migrate shop/${otherVolume.name} to OpenEBS`,
    });
    await userEvent.click(
      within(dialog).getByLabelText('OpenEBS storage class'),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'openebs-localpv-hostpath' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Migrate' }),
    );
    expect(
      await within(dialog).findByText(
        'Namespace shop is recorded as group:default/x',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Migrate' }),
    );
    expect(onRequested).toHaveBeenCalledWith(migration);
    const [[, first], [, second]] = requestMigration.mock.calls;
    expect(first).toEqual({
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      cluster: 'lab-a',
      namespace: 'shop',
      claim: otherVolume.name,
      targetClass: 'openebs-localpv-hostpath',
    });
    // A retry is the same request: the backend never starts two.
    expect(second.requestId).toBe(first.requestId);
  });
});

describe('MigrationsCard', () => {
  async function renderCard(
    allowed: string[],
    entityName: string,
    decideMigration = jest.fn(),
    shown: VolumeMigration = migration,
    getMigrationRunbook = jest.fn(),
    withScaffolder = false,
  ) {
    const onDecided = jest.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [openebsStorageApiRef, { decideMigration, getMigrationRunbook }],
          [permissionApiRef, fakePermissionApi(allowed)],
        ]}
      >
        <MigrationsCard
          migrations={[shown]}
          entityRef={`component:shop/${entityName}`}
          downtimeLimitSeconds={300}
          onDecided={onDecided}
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
    return { onDecided };
  }

  it('shows the steps, the proof of the copy and the downtime', async () => {
    await renderCard([], 'card-reader');
    const steps = screen.getByRole('list', {
      name: 'Steps of the migration of cache-redis-0',
    });
    expect(within(steps).getAllByRole('listitem')).toHaveLength(4);
    expect(
      screen.getByText('1234 files, 5 MiB: equal on both sides'),
    ).toBeInTheDocument();
    expect(screen.getByText('Stopped for 42 s')).toBeInTheDocument();
    // Deciding needs the permission.
    expect(
      screen.queryByRole('button', { name: 'Roll back' }),
    ).not.toBeInTheDocument();
  });

  it('links to the claim-class template with the claim filled in, once on the new volume, where the app has the scaffolder', async () => {
    await renderCard([], 'git-link', jest.fn(), migration, jest.fn(), true);
    const link = screen.getByRole('button', { name: 'Change in Git…' });
    const url = new URL(link.getAttribute('href')!, 'http://portal');
    expect(url.pathname).toBe('/create/templates/default/openebs-claim-class');
    // No Flux label on this claim: nothing said of Flux.
    expect(screen.queryByText(/Flux's Kustomization/)).not.toBeInTheDocument();
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      namespace: 'shop',
      claim: 'cache-redis-0',
      targetClass: 'openebs-hostpath',
      volumeName: 'pv-new',
    });
  });

  it('says which Flux Kustomization applies the claim, when Flux labelled it', async () => {
    await renderCard(
      [],
      'git-flux',
      jest.fn(),
      {
        ...migration,
        claimLabels: {
          'kustomize.toolkit.fluxcd.io/name': 'shop-cache',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
      },
      jest.fn(),
      true,
    );
    expect(
      screen.getByText(
        "Flux's Kustomization flux-system/shop-cache applies this claim: its applies fail until the manifest names the new class and volume.",
      ),
    ).toBeInTheDocument();
  });

  it.each([
    ['rolled back', { state: 'rolled-back' as const }, true],
    ['in progress', { state: 'in-progress' as const }, true],
    ['without the scaffolder', {}, false],
  ])('offers no Git change %s', async (_, change, withScaffolder) => {
    await renderCard(
      [],
      `no-git-${_.replace(/\W/g, '')}`,
      jest.fn(),
      { ...migration, ...change },
      jest.fn(),
      withScaffolder,
    );
    expect(screen.getByText('shop/cache-redis-0')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Change in Git…' }),
    ).not.toBeInTheDocument();
  });

  it("opens the migration's own runbook from the backend", async () => {
    const getMigrationRunbook = jest.fn().mockResolvedValue({
      markdown:
        '# Migration of shop/cache-redis-0\n\n```sh\nns=shop claim=cache-redis-0 pv=pv-old\n```',
    });
    await renderCard(
      [],
      'card-runbook',
      jest.fn(),
      migration,
      getMigrationRunbook,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Runbook' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Runbook of the migration of shop/cache-redis-0',
    });
    // The Markdown renderer is loaded on first use: more than findBy's 1 s
    // on a busy machine.
    expect(
      await within(dialog).findByRole(
        'heading',
        { name: 'Migration of shop/cache-redis-0' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    // Code blocks are highlighted once their highlighter has loaded too.
    await waitFor(
      () =>
        expect(dialog).toHaveTextContent(
          'ns=shop claim=cache-redis-0 pv=pv-old',
        ),
      { timeout: 10_000 },
    );
    expect(getMigrationRunbook).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'shop', name: 'card-runbook' },
      migration.id,
    );
  });

  it('measures the downtime against the limit', async () => {
    await renderCard([], 'card-slow', jest.fn(), {
      ...migration,
      downtimeSeconds: 420,
    });
    expect(
      screen.getByText('Stopped for 7 min (over the 5 min limit)'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', {
        name: 'Proof (downtime limit 5 min)',
      }),
    ).toBeInTheDocument();
  });

  it('rolls back for someone who may migrate', async () => {
    const rolling = { ...migration, state: 'rolling-back' as const };
    const decideMigration = jest.fn().mockResolvedValue(rolling);
    const { onDecided } = await renderCard(
      [openebsStorageMigratePermission.name],
      'card-owner',
      decideMigration,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Roll back' }));
    expect(decideMigration).toHaveBeenCalledWith(
      entityOf('card-owner'),
      'mig-1',
      'rollback',
    );
    expect(onDecided).toHaveBeenCalledWith(rolling);
  });
});
