import { moveClaimClass } from './claimClass';

const change = {
  namespace: 'shop',
  claim: 'cart-data',
  targetClass: 'openebs-hostpath',
  volumeName: 'pvc-0a1b',
};

const CLAIM = [
  '# The cart keeps its baskets here.',
  'apiVersion: v1',
  'kind: PersistentVolumeClaim',
  'metadata:',
  '  name: cart-data # named by the app',
  'spec:',
  '  accessModes:',
  '  - ReadWriteOnce',
  '  storageClassName: "standard" # the old class',
  '  resources:',
  '    requests:',
  '      storage: 1Gi',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: cart}',
  '',
].join('\n');

describe('moveClaimClass', () => {
  it('changes the class in place and adds the volume after the last entry, keeping the rest', () => {
    const result = moveClaimClass(
      [{ path: 'apps/shop/cart/claim.yaml', content: CLAIM }],
      change,
    );
    expect(result.changed).toEqual([
      {
        path: 'apps/shop/cart/claim.yaml',
        content: CLAIM.replace('"standard"', 'openebs-hostpath').replace(
          '      storage: 1Gi\n',
          '      storage: 1Gi\n  volumeName: pvc-0a1b\n',
        ),
      },
    ]);
    expect(result.found).toEqual([
      'apps/shop/cart/claim.yaml: PersistentVolumeClaim cart-data now names openebs-hostpath and volume pvc-0a1b',
    ]);
  });

  it('is idempotent: the changed file changes no further', () => {
    const once = moveClaimClass([{ path: 'c.yaml', content: CLAIM }], change)
      .changed[0];
    const twice = moveClaimClass([once], change);
    expect(twice.changed).toEqual([]);
    expect(twice.found).toEqual([
      'c.yaml: PersistentVolumeClaim cart-data already names openebs-hostpath',
    ]);
  });

  it('adds a missing class to a spec ending in a scalar with a comment, and fills an empty value', () => {
    const content = [
      'kind: PersistentVolumeClaim',
      'metadata:',
      '  name: cart-data',
      '  namespace: shop',
      'spec:',
      '    volumeName:',
      '    volumeMode: Filesystem # kept',
      'other: 1',
      '',
    ].join('\n');
    const [file] = moveClaimClass(
      [{ path: 'c.yaml', content }],
      change,
    ).changed;
    expect(file.content).toBe(
      content
        .replace('volumeName:', 'volumeName: pvc-0a1b')
        .replace(
          '# kept\n',
          '# kept\n    storageClassName: openebs-hostpath\n',
        ),
    );
  });

  it("leaves other namespaces' claims, other claims and a StatefulSet's templates alone, naming the template", () => {
    const content = [
      'kind: PersistentVolumeClaim',
      'metadata: {name: cart-data, namespace: other}',
      'spec: {storageClassName: standard}',
      '---',
      'kind: PersistentVolumeClaim',
      'metadata: {name: cart-data-2}',
      'spec: {storageClassName: standard}',
      '---',
      'kind: StatefulSet',
      'metadata: {name: data}',
      'spec:',
      '  volumeClaimTemplates:',
      '    - metadata: {name: cart}',
      '      spec: {storageClassName: standard}',
      '',
    ].join('\n');
    const result = moveClaimClass([{ path: 's.yaml', content }], {
      ...change,
      claim: 'cart-data-0',
    });
    expect(result.changed).toEqual([]);
    expect(result.found).toEqual([
      expect.stringMatching(
        /^s\.yaml: StatefulSet data makes cart-data-0 from its volumeClaimTemplates "cart", left as it is/,
      ),
    ]);
  });

  it('reports files it cannot read and refuses a flow-style spec, naming the file', () => {
    expect(
      moveClaimClass([{ path: 'bad.yaml', content: 'a: [1\n' }], change)
        .unreadable,
    ).toEqual([expect.stringMatching(/^bad\.yaml: /)]);
    expect(() =>
      moveClaimClass(
        [
          {
            path: 'flow.yaml',
            content:
              'kind: PersistentVolumeClaim\nmetadata: {name: cart-data}\nspec: {storageClassName: x}\n',
          },
        ],
        change,
      ),
    ).toThrow('flow.yaml: claim cart-data has no block-style spec to change');
  });
});
