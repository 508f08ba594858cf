import { Entity } from '@backstage/catalog-model';
import { isOpenebsStorageAvailable } from './conditions';

function entityWith(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', annotations },
  };
}

describe('isOpenebsStorageAvailable', () => {
  it('accepts entities mapped to Kubernetes objects', () => {
    expect(
      isOpenebsStorageAvailable(
        entityWith({ 'backstage.io/kubernetes-id': 'shop' }),
      ),
    ).toBe(true);
    expect(
      isOpenebsStorageAvailable(
        entityWith({ 'backstage.io/kubernetes-label-selector': 'app=shop' }),
      ),
    ).toBe(true);
  });

  it('rejects the others', () => {
    expect(isOpenebsStorageAvailable(entityWith({}))).toBe(false);
    expect(
      isOpenebsStorageAvailable(
        entityWith({ 'backstage.io/kubernetes-namespace': 'shop' }),
      ),
    ).toBe(false);
  });
});
