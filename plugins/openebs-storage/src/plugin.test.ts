import { openebsStorageApiRef } from './api';
import { EntityOpenebsStorageContent, openebsStoragePlugin } from './plugin';

describe('openebsStoragePlugin (legacy frontend system)', () => {
  it('provides the storage API and the entity content', () => {
    expect(openebsStoragePlugin.getId()).toBe('openebs-storage');
    expect(
      [...openebsStoragePlugin.getApis()].map(factory => factory.api.id),
    ).toEqual([openebsStorageApiRef.id]);
    expect(EntityOpenebsStorageContent).toBeDefined();
  });
});
