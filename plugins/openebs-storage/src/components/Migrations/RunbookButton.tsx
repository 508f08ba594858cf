import { useCallback } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { VolumeMigration } from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { MarkdownDialogButton } from '../MarkdownDialogButton';

/**
 * "Runbook": the migration's own runbook from the backend, fetched when
 * opened (its steps as they stand, the commands with the real names), for
 * whoever has to finish or undo it by hand.
 */
export function RunbookButton(props: {
  migration: VolumeMigration;
  entityRef: string;
}) {
  const { migration, entityRef } = props;
  const api = useApi(openebsStorageApiRef);
  const load = useCallback(
    async () =>
      (await api.getMigrationRunbook(parseEntityRef(entityRef), migration.id))
        .markdown,
    [api, entityRef, migration.id],
  );
  return (
    <MarkdownDialogButton
      label="Runbook"
      title={`Runbook of the migration of ${migration.namespace}/${migration.claim}`}
      id={`runbook-${migration.id}`}
      load={load}
      errorTitle="The runbook could not be loaded"
    />
  );
}
