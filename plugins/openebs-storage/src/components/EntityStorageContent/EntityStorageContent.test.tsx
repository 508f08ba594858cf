import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { alertApiRef } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  EntityStorage,
  openebsStorageRestoreCreatePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { OpenebsStorageApi, openebsStorageApiRef } from '../../api';
import { freezeClock, fullStorage, shopEntity } from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import {
  completedRestore,
  inProgressRestore,
  shopRestoreContents,
} from '../../testing/restores';
import { EntityStorageContent } from './EntityStorageContent';

async function responseError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(JSON.stringify({ error: { name, message } }), {
      status,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
}

const alertApi = { post: jest.fn(), alert$: jest.fn() };

function renderContent(
  getEntityStorage: OpenebsStorageApi['getEntityStorage'],
  more: Partial<OpenebsStorageApi> = {},
) {
  const api: Partial<OpenebsStorageApi> = {
    getEntityStorage,
    listRestores: async () => ({ items: [] }),
    listDrills: async () => ({
      drills: [],
      evidence: { intact: true, records: 0, signed: true },
    }),
    previewRestore: async (_entityRef, input) => ({
      targetNamespace: input.targetNamespace ?? input.namespace,
      contents: shopRestoreContents,
    }),
    ...more,
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [openebsStorageApiRef, api],
        [alertApiRef, alertApi],
        [
          permissionApiRef,
          fakePermissionApi([openebsStorageRestoreCreatePermission.name]),
        ],
      ]}
    >
      <EntityProvider entity={shopEntity}>
        <EntityStorageContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityStorageContent', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows progress while loading', async () => {
    await renderContent(() => new Promise(() => {}));
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled();
  });

  it('asks for the entity by its reference', async () => {
    const getEntityStorage = jest.fn().mockResolvedValue(fullStorage);
    await renderContent(getEntityStorage);
    await screen.findByRole('table', { name: 'Volumes' });
    expect(getEntityStorage).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'shop',
      name: 'shop',
    });
  });

  it('shows a failed request with its server message', async () => {
    const error = await responseError(
      400,
      'InputError',
      'Annotation backstage.io/kubernetes-label-selector is not a valid label selector',
    );
    await renderContent(() => Promise.reject(error));
    expect(
      await screen.findAllByText(/not a valid label selector/),
    ).not.toHaveLength(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says which permission is missing when the backend refuses', async () => {
    const error = await responseError(403, 'NotAllowedError', 'Unauthorized');
    await renderContent(() => Promise.reject(error));
    expect(
      await screen.findByText("You may not see this entity's storage"),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /needs the openebs\.storage\.read permission for component:shop\/shop/,
      ),
    ).toBeInTheDocument();
  });

  it('says what to check when the entity has no volumes', async () => {
    const empty: EntityStorage = {
      ...fullStorage,
      health: undefined,
      // lab-b still fails: its warning stays, and the advice mentions it.
      clusters: fullStorage.clusters.map(cluster => ({
        ...cluster,
        volumes: [],
      })),
    };
    await renderContent(async () => empty);
    expect(
      await screen.findByText('No volumes found for this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /backstage\.io\/kubernetes-id or backstage\.io\/kubernetes-label-selector annotation/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/PersistentVolumeClaims exist in the clusters/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Some clusters could not be read/),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Storage data of cluster lab-b is incomplete',
    );
    expect(
      screen.queryByRole('table', { name: 'Volumes' }),
    ).not.toBeInTheDocument();
  });

  it("notes the volumes left out because their namespace is another owner's", async () => {
    const reason =
      'The labels of component:shop/shop also match pods in namespaces recorded as owned by other teams.';
    const [labA, labB] = fullStorage.clusters;
    await renderContent(async () => ({
      ...fullStorage,
      clusters: [
        { ...labA, withheld: { volumes: 2, namespaces: 1, reason } },
        labB,
      ],
    }));

    await screen.findByRole('table', { name: 'Volumes' });
    const note = screen.getByRole('note');
    expect(note).toHaveTextContent(
      "2 volumes in 1 namespace of cluster lab-a are not shown: their namespace is recorded as another owner's.",
    );
    expect(note).toHaveTextContent(reason);
    // The unreachable cluster still warns, on its own.
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Storage data of cluster lab-b is incomplete',
    );
  });

  it("points at the note, not the annotations, when every volume found is another owner's", async () => {
    const [labA] = fullStorage.clusters;
    await renderContent(async () => ({
      ...fullStorage,
      health: undefined,
      clusters: [
        {
          ...labA,
          volumes: [],
          withheld: { volumes: 3, namespaces: 2, reason: 'Other owners.' },
        },
      ],
    }));

    expect(
      await screen.findByText('No volumes found for this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Volumes in namespaces recorded as other owners' are not shown \(see the notes above\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent(
      "3 volumes in 2 namespaces of cluster lab-a are not shown: their namespaces are recorded as other owners'.",
    );
  });

  it('renders health, volumes and backup storage, warning about the unreachable cluster', async () => {
    freezeClock();
    await renderContent(async () => fullStorage);

    const volumes = await screen.findByRole('table', { name: 'Volumes' });
    // Header row plus a summary row and a (collapsed) details row per volume.
    const rowOf = (pvc: string) =>
      within(volumes).getByRole('cell', { name: pvc }).closest('tr')!;
    expect(within(rowOf('data-shop-0')).getByText('lab-node-1')).toBeVisible();
    expect(
      within(rowOf('data-shop-0')).getByText('OpenEBS hostpath'),
    ).toBeInTheDocument();
    expect(
      within(rowOf('data-db-0')).getByText('OpenEBS LVM'),
    ).toBeInTheDocument();
    expect(
      within(rowOf('cache-redis-0')).getByText(
        'not OpenEBS (migration candidate)',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowOf('cache-redis-0')).getByText('Unprotected'),
    ).toBeInTheDocument();

    // The broken cluster is reported, with its reason and message, while
    // lab-a's data is on screen.
    const warning = screen.getByRole('alert');
    expect(
      within(warning).getByText(/cluster lab-b is incomplete/),
    ).toBeInTheDocument();
    expect(
      within(warning).getByText(
        /Cluster unreachable: connect ECONNREFUSED 10\.0\.0\.2:6443/,
      ),
    ).toBeInTheDocument();

    expect(
      screen.getByText('1 of 3 volumes is not backed up.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Backup storage locations' }),
    ).toBeInTheDocument();
    expect(screen.getByText('As of 2026-11-17 11:59 UTC')).toBeInTheDocument();
  });

  it('reloads on refresh', async () => {
    const getEntityStorage = jest.fn().mockResolvedValue(fullStorage);
    const listRestores = jest.fn().mockResolvedValue({ items: [] });
    await renderContent(getEntityStorage, { listRestores });
    await screen.findByRole('table', { name: 'Volumes' });

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    await waitFor(() => expect(getEntityStorage).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(listRestores).toHaveBeenCalledTimes(2));
    expect(
      await screen.findByRole('table', { name: 'Volumes' }),
    ).toBeInTheDocument();
  });

  it('requests a restore from a backup and follows it under Restores', async () => {
    const listRestores = jest
      .fn()
      .mockResolvedValueOnce({ items: [completedRestore] })
      .mockResolvedValue({ items: [inProgressRestore, completedRestore] });
    const requestRestore = jest.fn().mockResolvedValue(inProgressRestore);
    await renderContent(async () => fullStorage, {
      listRestores,
      requestRestore,
    });

    const restores = await screen.findByRole('table', { name: 'Restores' });
    expect(within(restores).getAllByRole('row')).toHaveLength(2);

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Details of shop/data-shop-0 in lab-a',
      }),
    );
    const backups = screen.getByRole('table', {
      name: 'Backups of data-shop-0',
    });
    const restore = within(
      within(backups).getByText('daily-20261117020000').closest('tr')!,
    ).getByRole('button', { name: 'Restore…' });
    await waitFor(() => expect(restore).toBeEnabled());
    await userEvent.click(restore);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'data-db-0' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(requestRestore).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'shop', name: 'shop' },
      expect.objectContaining({
        cluster: 'lab-a',
        backupName: 'daily-20261117020000',
        namespace: 'shop',
        volumes: ['data-shop-0', 'data-db-0'],
        mode: 'new-namespace',
      }),
    );
    // The list reloads and shows the new restore on top.
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Restores' })).getAllByRole(
          'row',
        ),
      ).toHaveLength(3),
    );
    expect(
      screen.getByRole('progressbar', {
        name: `Data restored by ${inProgressRestore.restoreName}`,
      }),
    ).toBeInTheDocument();
    expect(alertApi.post).toHaveBeenCalledWith({
      message:
        'Restore shop-restore-20261117-1150-x7k2p requested: the data comes back in namespace shop-restore-20261117-1150. Follow it under Restores.',
      severity: 'success',
      display: 'transient',
    });
  }, 30_000);
});
