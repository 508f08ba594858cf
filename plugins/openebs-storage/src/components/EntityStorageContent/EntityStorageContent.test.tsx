import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityStorage } from '@openebs-portal/plugin-openebs-storage-common';
import { OpenebsStorageApi, openebsStorageApiRef } from '../../api';
import { freezeClock, fullStorage, shopEntity } from '../../testing/fixtures';
import { EntityStorageContent } from './EntityStorageContent';

async function responseError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(JSON.stringify({ error: { name, message } }), {
      status,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
}

function renderContent(
  getEntityStorage: OpenebsStorageApi['getEntityStorage'],
) {
  return renderInTestApp(
    <TestApiProvider apis={[[openebsStorageApiRef, { getEntityStorage }]]}>
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
    await renderContent(getEntityStorage);
    await screen.findByRole('table', { name: 'Volumes' });

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    await waitFor(() => expect(getEntityStorage).toHaveBeenCalledTimes(2));
    expect(
      await screen.findByRole('table', { name: 'Volumes' }),
    ).toBeInTheDocument();
  });
});
