import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { openebsStorageApiRef } from './api';
import plugin from './alpha';
import { fullStorage, shopEntity } from './testing/fixtures';

const entityContent = plugin.getExtension('entity-content:openebs-storage');

describe('openebs-storage plugin (new frontend system)', () => {
  it('adds a Storage tab to entity pages that map to Kubernetes objects', () => {
    const tester = createExtensionTester(entityContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('/storage');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Storage');

    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const withoutAnnotations: Entity = {
      ...shopEntity,
      metadata: { name: 'docs', annotations: {} },
    };
    expect(filter(shopEntity)).toBe(true);
    expect(filter(withoutAnnotations)).toBe(false);
  });

  it('loads the storage content lazily', async () => {
    const tester = createExtensionTester(entityContent);
    renderInTestApp(
      <EntityProvider entity={shopEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [
            openebsStorageApiRef,
            {
              getEntityStorage: async () => fullStorage,
              listRestores: async () => ({ items: [] }),
            },
          ],
        ],
      },
    );
    // The content is a lazy import, then a full render of the volume table:
    // on a busy 2-core machine that took longer than findBy's default 1 s.
    expect(
      await screen.findByRole(
        'table',
        { name: 'Volumes' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
  });

  it('provides the storage API', () => {
    const tester = createExtensionTester(
      plugin.getExtension('api:openebs-storage'),
    );
    expect(tester.get(ApiBlueprint.dataRefs.factory).api.id).toBe(
      openebsStorageApiRef.id,
    );
  });
});
