/*
 * What the RestoreDialog tests share: the dialog rendered for one backup of
 * `data-shop-0`, with fake restore and permission APIs.
 */
import { screen } from '@testing-library/react';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  RestorePreview,
  RestoreRequestInput,
  openebsStorageRestoreCreatePermission,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { OpenebsStorageApi, openebsStorageApiRef } from '../../../api';
import {
  freezeClock,
  fullStorage,
  hostpathVolume,
} from '../../../testing/fixtures';
import { fakePermissionApi } from '../../../testing/permissions';
import { shopRestoreContents } from '../../../testing/restores';
import { RestoreDialog } from '../RestoreDialog';
import { restoreCandidates } from '../restoreRules';

const [labA] = fullStorage.clusters;
// Newest backup of data-shop-0: PartiallyFailed, and it also copied data-db-0.
const partialBackup = hostpathVolume.backups[1];

export async function responseError(
  status: number,
  name: string,
  message: string,
) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

/** Answers a preview as the backend would: the same contents, any volume. */
export async function previewOf(
  _entityRef: CompoundEntityRef,
  input: Omit<RestoreRequestInput, 'requestId'>,
): Promise<RestorePreview> {
  return {
    targetNamespace: input.targetNamespace ?? input.namespace,
    contents: shopRestoreContents,
  };
}

export async function renderDialog(options: {
  /**
   * usePermission caches decisions per permission and entity for the whole
   * test file: each permission set gets its own entity.
   */
  entityRef: CompoundEntityRef;
  allowed: string[];
  requestRestore: OpenebsStorageApi['requestRestore'];
  previewRestore?: OpenebsStorageApi['previewRestore'];
}) {
  const onClose = jest.fn();
  const onRequested = jest.fn();
  const previewRestore = options.previewRestore ?? jest.fn(previewOf);
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          openebsStorageApiRef,
          { requestRestore: options.requestRestore, previewRestore },
        ],
        [permissionApiRef, fakePermissionApi(options.allowed)],
      ]}
    >
      <RestoreDialog
        entityRef={options.entityRef}
        backup={partialBackup}
        candidates={restoreCandidates(hostpathVolume, partialBackup, labA)}
        cluster={labA}
        onClose={onClose}
        onRequested={onRequested}
      />
    </TestApiProvider>,
  );
  return { dialog: await screen.findByRole('dialog'), onClose, onRequested };
}

export const developer = [openebsStorageRestoreCreatePermission.name];
export const admin = [
  openebsStorageRestoreCreatePermission.name,
  openebsStorageRestoreInPlacePermission.name,
];

/**
 * Freezes the clock (the generated namespace is named after it) and the
 * request ids, for every test of the calling `describe`.
 */
export function setUpDialogTests() {
  beforeEach(() => {
    freezeClock();
    jest
      .spyOn(crypto, 'randomUUID')
      .mockReturnValueOnce('11111111-1111-4111-8111-111111111111')
      .mockReturnValueOnce('22222222-2222-4222-8222-222222222222');
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });
}
