import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { fixtures } from '@openebs-portal/lab-testkit';
import { readStorageConfig, TenancyConfig } from '../config';
import {
  EntityObjectSelection,
  selectEntityObjects,
} from '../entities/entityObjectSelection';
import { parseLabelSelector } from '../entities/labelSelector';
import {
  KindName,
  memoryCluster,
  MemoryCluster,
} from '../__testUtils__/memoryCluster';
import { veleroLabelValue } from '../kubernetes/velero';
import { NamespaceOwnership } from '../tenancy/NamespaceOwnership';
import { AnnotationNamespaceTenancy } from '../tenancy/NamespaceTenancy';
import { restoreContents } from './restoreContents';
import { RestorePlanInput, RestorePlanner, Requester } from './RestorePlanner';

/*
 * Every refusal of the restore planner, against an in-memory cluster cache
 * filled from the same manifests the lab tests write: no cluster needed.
 */

const SHOP_TEAM = 'group:default/team-shop';
const BANK_TEAM = 'group:default/team-bank';
const OPS_TEAM = 'group:default/team-ops';
const ID = 'backstage.io/kubernetes-id';

const config = (tenancy: Record<string, unknown> = {}) =>
  readStorageConfig(
    new ConfigReader({
      openebsStorage: { tenancy: { portalNamespace: 'backstage', ...tenancy } },
    }),
  ).tenancy;
const defaultTenancy = config();

const ownership = new NamespaceOwnership(
  new AnnotationNamespaceTenancy('openebs-portal.dev/owner'),
);

function component(
  name: string,
  annotations: Record<string, string>,
  owner: string | undefined = 'team-shop',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', ...(owner && { owner }) },
  };
}

const entities = {
  /** Found through its pods' labels. */
  shop: component('shop', { [ID]: 'shop' }),
  /** Pinned to its namespace: still found once its workload is deleted. */
  shopPinned: component('shop-pinned', {
    [ID]: 'shop',
    'backstage.io/kubernetes-namespace': 'shop',
  }),
  /** The shop team's entity whose annotations point at the bank's pods. */
  forged: component('forged', {
    [ID]: 'bank',
    'backstage.io/kubernetes-namespace': 'bank',
  }),
  legacy: component('legacy', {
    [ID]: 'legacy',
    'backstage.io/kubernetes-namespace': 'legacy',
  }),
  /** Owned by the shop team, running in a namespace recorded as ops'. */
  ops: component('ops-tool', {
    [ID]: 'ops',
    'backstage.io/kubernetes-namespace': 'ops',
  }),
};

const alice: Requester = {
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', SHOP_TEAM],
  isAdmin: false,
};
const olga: Requester = {
  userEntityRef: 'user:default/olga',
  ownershipEntityRefs: ['user:default/olga', OPS_TEAM],
  isAdmin: false,
};
const root: Requester = {
  userEntityRef: 'user:default/root',
  ownershipEntityRefs: ['user:default/root'],
  isAdmin: true,
};

function podOf(options: {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  claims: string[];
  statefulSet?: string;
}) {
  const manifest = fixtures.pod(options);
  return options.statefulSet
    ? {
        ...manifest,
        metadata: {
          ...manifest.metadata,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              name: options.statefulSet,
              uid: `uid-sts-${options.statefulSet}`,
              controller: true,
            },
          ],
        },
      }
    : manifest;
}

const claimOf = (namespace: string, name: string) =>
  fixtures.claim({
    namespace,
    name,
    storageClass: 'openebs-localpv-hostpath',
    node: 'lab-node-1',
  }).claim;

let pvbCount = 0;
function copy(
  backupName: string,
  namespace: string,
  claimName: string,
  podName: string,
  phase = 'Completed',
) {
  pvbCount++;
  return fixtures.podVolumeBackup({
    name: `${backupName}-pvb-${pvbCount}`,
    backupName,
    claimUid: `uid-claim-${namespace}-${claimName}`,
    claimName,
    podNamespace: namespace,
    podName,
    phase,
    startedHoursAgo: 3,
    durationSeconds: 30,
  });
}

/** A DataUpload as Velero's data mover writes it (no fixture exists). */
function dataUpload(options: {
  name: string;
  backupName: string;
  namespace: string;
  claimName: string;
  phase?: string;
  /** Only the (possibly shortened) label names the backup. */
  labelOnly?: boolean;
}) {
  return {
    apiVersion: 'velero.io/v2alpha1',
    kind: 'DataUpload',
    metadata: {
      namespace: fixtures.VELERO_NAMESPACE,
      name: options.name,
      labels: {
        'velero.io/backup-name': veleroLabelValue(options.backupName),
        'velero.io/pvc-uid': `uid-claim-${options.namespace}-${options.claimName}`,
      },
      ...(!options.labelOnly && {
        ownerReferences: [
          {
            apiVersion: 'velero.io/v1',
            kind: 'Backup',
            name: options.backupName,
            uid: `uid-backup-${options.backupName}`,
            controller: true,
          },
        ],
      }),
    },
    spec: {
      snapshotType: 'CSI',
      sourcePVC: options.claimName,
      sourceNamespace: options.namespace,
      backupStorageLocation: 'default',
    },
    status: { phase: options.phase ?? 'Completed' },
  };
}

const backupOf = (
  name: string,
  phase = 'Completed',
  storageLocation?: string,
) =>
  fixtures.backup({
    name,
    namespaces: ['*'],
    phase,
    startedHoursAgo: 3,
    durationSeconds: 60,
    storageLocation,
  });

const shopLabels = { [ID]: 'shop' };

/**
 * The shop team's StatefulSet db (two pods, two claims) next to another
 * workload in the same namespace; the bank's namespace; a namespace nobody
 * recorded; ops' namespace; and backups of all of them.
 */
function world(): MemoryCluster {
  const offsite = fixtures.storageLocation({
    name: 'offsite',
    phase: 'Unavailable',
  });
  return memoryCluster([
    fixtures.node('lab-node-1'),
    fixtures.namespace('shop', SHOP_TEAM),
    fixtures.namespace('bank', BANK_TEAM),
    fixtures.namespace('legacy'),
    fixtures.namespace('ops', OPS_TEAM),
    fixtures.namespace('shop-restore-kept', SHOP_TEAM),
    fixtures.namespace('shop-restore-foreign', BANK_TEAM),
    fixtures.namespace('shop-restore-nobody'),
    fixtures.namespace('legacy-restore-old'),
    podOf({
      namespace: 'shop',
      name: 'db-0',
      labels: shopLabels,
      claims: ['data-db-0'],
      statefulSet: 'db',
    }),
    podOf({
      namespace: 'shop',
      name: 'db-1',
      labels: shopLabels,
      claims: ['data-db-1'],
      statefulSet: 'db',
    }),
    podOf({
      namespace: 'shop',
      name: 'other-0',
      labels: { app: 'other' },
      claims: ['other-data'],
      statefulSet: 'other',
    }),
    podOf({
      namespace: 'shop',
      name: 'cache-0',
      labels: { app: 'cache' },
      claims: ['cache-data'],
    }),
    podOf({
      namespace: 'bank',
      name: 'ledger-0',
      labels: { [ID]: 'bank' },
      claims: ['ledger-data'],
      statefulSet: 'ledger',
    }),
    claimOf('shop', 'data-db-0'),
    claimOf('shop', 'data-db-1'),
    claimOf('shop', 'other-data'),
    claimOf('bank', 'ledger-data'),
    backupOf('nightly'),
    backupOf('partial', 'PartiallyFailed'),
    backupOf('broken', 'Failed'),
    backupOf('running', 'InProgress'),
    backupOf('offsite-nightly', 'Completed', 'offsite'),
    backupOf('lost-location', 'Completed', 'gone'),
    fixtures.storageLocation({ name: 'default', phase: 'Available' }),
    {
      ...offsite,
      status: { ...offsite.status, message: 'bucket offsite not found' },
    },
    copy('nightly', 'shop', 'data-db-0', 'db-0'),
    copy('nightly', 'shop', 'data-db-1', 'db-1'),
    copy('nightly', 'shop', 'other-data', 'other-0'),
    copy('nightly', 'shop', 'cache-data', 'cache-0', 'Failed'),
    copy('nightly', 'bank', 'ledger-data', 'ledger-0'),
    copy('nightly', 'legacy', 'legacy-data', 'legacy-0'),
    copy('nightly', 'ops', 'ops-data', 'ops-0'),
    copy('partial', 'shop', 'data-db-0', 'db-0'),
    copy('offsite-nightly', 'shop', 'data-db-0', 'db-0'),
    copy('lost-location', 'shop', 'data-db-0', 'db-0'),
  ]);
}

const newNamespace: RestorePlanInput = {
  cluster: 'lab',
  backupName: 'nightly',
  namespace: 'shop',
  volumes: ['data-db-0'],
  mode: 'new-namespace',
  targetNamespace: 'shop-restore-1',
};

const inPlace: RestorePlanInput = {
  cluster: 'lab',
  backupName: 'nightly',
  namespace: 'shop',
  volumes: ['data-db-0', 'data-db-1'],
  mode: 'in-place',
  confirmation: 'shop',
};

interface PlanOptions {
  entity?: Entity;
  selection?: EntityObjectSelection;
  cluster?: MemoryCluster;
  input?: Partial<RestorePlanInput>;
  base?: RestorePlanInput;
  requester?: Requester;
  tenancy?: TenancyConfig;
  ownership?: NamespaceOwnership;
}

function plan(options: PlanOptions = {}) {
  const entity = options.entity ?? entities.shop;
  const planner = new RestorePlanner({
    ownership: options.ownership ?? ownership,
    tenancy: options.tenancy ?? defaultTenancy,
  });
  return planner.plan({
    entity,
    entityRef: stringifyEntityRef(entity),
    selection: options.selection ?? selectEntityObjects(entity)!,
    cache: (options.cluster ?? world()).cache,
    input: { ...(options.base ?? newNamespace), ...options.input },
    requester: options.requester ?? alice,
  });
}

/** The refusal's error name and message; fails when the plan goes through. */
async function refusal(options: PlanOptions) {
  try {
    await plan(options);
  } catch (error: any) {
    return { name: error.name, message: error.message };
  }
  throw new Error('Expected a refusal, but the plan went through');
}

const refused = (name: string, fragment: string) => ({
  name,
  message: expect.stringContaining(fragment),
});

/** The shop's StatefulSet deleted with its claims: ready for in place. */
function shopDeleted(): MemoryCluster {
  const cluster = world();
  cluster.remove('Pod', 'shop/db-0');
  cluster.remove('Pod', 'shop/db-1');
  cluster.remove('PersistentVolumeClaim', 'shop/data-db-0');
  cluster.remove('PersistentVolumeClaim', 'shop/data-db-1');
  return cluster;
}

describe('RestorePlanner.plan', () => {
  describe('honest requests', () => {
    it('plans a restore into a new namespace', async () => {
      expect(await plan()).toEqual({
        backup: expect.objectContaining({
          name: 'nightly',
          phase: 'Completed',
          storageLocation: 'default',
        }),
        targetNamespace: 'shop-restore-1',
        // Velero brings back every pod of the entity with its claims, not
        // only the ticked one; the other workload of the namespace stays.
        contents: {
          claims: ['data-db-0', 'data-db-1'],
          workloads: ['StatefulSet/db'],
        },
        owner: SHOP_TEAM,
      });
    });

    it('accepts a PartiallyFailed backup', async () => {
      const result = await plan({ input: { backupName: 'partial' } });
      expect(result.backup.phase).toBe('PartiallyFailed');
      expect(result.contents).toEqual({
        claims: ['data-db-0'],
        workloads: ['StatefulSet/db'],
      });
    });

    it('accepts an existing target recorded as the same owner', async () => {
      const result = await plan({
        input: { targetNamespace: 'shop-restore-kept' },
      });
      expect(result.targetNamespace).toBe('shop-restore-kept');
      expect(result.owner).toBe(SHOP_TEAM);
    });

    it('plans an in-place restore of a deleted workload', async () => {
      expect(
        await plan({
          entity: entities.shopPinned,
          cluster: shopDeleted(),
          base: inPlace,
        }),
      ).toEqual({
        backup: expect.objectContaining({ name: 'nightly' }),
        targetNamespace: 'shop',
        // The pods are gone: their controller is no longer known.
        contents: {
          claims: ['data-db-0', 'data-db-1'],
          workloads: ['Pod/db-0', 'Pod/db-1'],
        },
        owner: SHOP_TEAM,
        // Nothing to stop or delete first: only the restore itself.
        inPlace: {
          plan: { workloads: [], claimsRemoved: [], onDeadNodes: [] },
          controllers: [],
          claims: [{ name: 'data-db-0' }, { name: 'data-db-1' }],
        },
      });
    });

    it('reads owners as entity refs, whatever their case or short form', async () => {
      const cluster = world();
      cluster.add(fixtures.namespace('shop', 'Team-Shop'));
      const byRelation: Entity = {
        ...component('shop', { [ID]: 'shop' }, undefined),
        relations: [{ type: 'ownedBy', targetRef: 'group:default/team-shop' }],
      };
      const result = await plan({ entity: byRelation, cluster });
      expect(result.owner).toBe(SHOP_TEAM);
    });

    it('ignores kinds the planner does not read while they sync', async () => {
      const cluster = world();
      cluster.reflectors.snapshots.status = { synced: false };
      cluster.reflectors.storageClasses.status = { synced: false };
      await expect(plan({ cluster })).resolves.toMatchObject({
        targetNamespace: 'shop-restore-1',
      });
    });

    it('plans from data-mover copies (DataUploads)', async () => {
      const cluster = world();
      cluster.add(
        backupOf('dm-nightly'),
        dataUpload({
          name: 'dm-1',
          backupName: 'dm-nightly',
          namespace: 'shop',
          claimName: 'data-db-0',
        }),
      );
      expect(
        await plan({ cluster, input: { backupName: 'dm-nightly' } }),
      ).toMatchObject({
        targetNamespace: 'shop-restore-1',
        contents: { claims: ['data-db-0'], workloads: ['StatefulSet/db'] },
      });
    });
  });

  describe('the cluster', () => {
    it.each<KindName>([
      'pods',
      'claims',
      'volumes',
      'backups',
      'podVolumeBackups',
      'dataUploads',
      'schedules',
      'namespaces',
      'restores',
      'storageLocations',
    ])(
      'refuses while %s are not synced (an empty cache would pass every check)',
      async kind => {
        const cluster = world();
        cluster.reflectors[kind].status = { synced: false };
        expect(await refusal({ cluster })).toEqual(
          refused(
            'ServiceUnavailableError',
            'The portal has not finished reading cluster lab',
          ),
        );
      },
    );

    it('refuses while a synced kind reports an error', async () => {
      const cluster = world();
      cluster.reflectors.namespaces.status = {
        synced: true,
        error: {
          reason: 'forbidden',
          message: 'namespaces is forbidden',
          resource: 'v1 namespaces',
        },
      };
      expect(await refusal({ cluster })).toEqual(
        refused('ServiceUnavailableError', 'try again in a minute'),
      );
    });

    it("refuses a cluster other than the entity's", async () => {
      const entity = component('shop', {
        [ID]: 'shop',
        'backstage.io/kubernetes-cluster': 'prod',
      });
      expect(await refusal({ entity })).toEqual(
        refused(
          'NotAllowedError',
          'component:default/shop runs in cluster prod (backstage.io/kubernetes-cluster), not in lab',
        ),
      );
    });
  });

  describe('the selector', () => {
    it.each([
      ['app in (shop,bank)', 'app'],
      ['app notin (bank)', 'app'],
      ['app', 'app'],
      ['!canary', 'canary'],
      ['app!=bank', 'app'],
      [`${ID}=shop,tier in (db,cache)`, 'tier'],
      [`${ID}=shop,app,tier!=web`, 'app, tier'],
    ])('refuses the wide selector %s', async (selector, keys) => {
      const entity = component('shop', {
        'backstage.io/kubernetes-label-selector': selector,
      });
      expect(await refusal({ entity })).toEqual(
        refused(
          'NotAllowedError',
          `key=value terms only (backstage.io/kubernetes-id, or backstage.io/kubernetes-label-selector such as app=shop,tier=db); ${keys} match more than one value`,
        ),
      );
    });

    it('refuses an empty selector', async () => {
      expect(await refusal({ selection: { selector: [] } })).toEqual(
        refused('NotAllowedError', 'it is empty'),
      );
    });

    it('accepts key=value terms only, in any form', async () => {
      const selection = {
        selector: parseLabelSelector(`${ID}==shop, app in (shop)`),
      };
      const cluster = world();
      cluster.add(
        podOf({
          namespace: 'shop',
          name: 'db-0',
          labels: { ...shopLabels, app: 'shop' },
          claims: ['data-db-0'],
          statefulSet: 'db',
        }),
      );
      expect(await plan({ selection, cluster })).toMatchObject({
        contents: { claims: ['data-db-0'], workloads: ['StatefulSet/db'] },
      });
    });
  });

  describe('the source namespace', () => {
    it("refuses a namespace where the entity's objects are not", async () => {
      expect(await refusal({ input: { namespace: 'bank' } })).toEqual(
        refused(
          'NotAllowedError',
          'Namespace bank does not belong to component:default/shop in cluster lab',
        ),
      );
    });

    it("refuses a namespace recorded as another owner's, whatever the entity says", async () => {
      expect(
        await refusal({
          entity: entities.forged,
          input: {
            namespace: 'bank',
            volumes: ['ledger-data'],
            targetNamespace: 'bank-restore-1',
          },
        }),
      ).toEqual(
        refused(
          'NotAllowedError',
          `Namespace bank of cluster lab is recorded as ${BANK_TEAM}'s, not as the owner of component:default/forged`,
        ),
      );
    });

    it("refuses an admin too, for a namespace recorded as another owner's", async () => {
      expect(
        await refusal({
          entity: entities.forged,
          requester: root,
          input: { namespace: 'bank', targetNamespace: 'bank-restore-1' },
        }),
      ).toEqual(refused('NotAllowedError', `recorded as ${BANK_TEAM}'s`));
    });

    const legacyInput = {
      namespace: 'legacy',
      volumes: ['legacy-data'],
      targetNamespace: 'legacy-restore-1',
    };

    it('refuses an unrecorded namespace to anyone but a platform admin', async () => {
      expect(
        await refusal({ entity: entities.legacy, input: legacyInput }),
      ).toEqual(
        refused(
          'NotAllowedError',
          'Namespace legacy of cluster lab has no recorded owner: only platform admins (openebs.storage.restore.admin) may restore it',
        ),
      );
    });

    it('lets a platform admin restore an unrecorded namespace', async () => {
      expect(
        await plan({
          entity: entities.legacy,
          input: legacyInput,
          requester: root,
        }),
      ).toEqual({
        backup: expect.objectContaining({ name: 'nightly' }),
        targetNamespace: 'legacy-restore-1',
        contents: { claims: ['legacy-data'], workloads: ['Pod/legacy-0'] },
        owner: undefined,
      });
    });

    it('refuses an existing target to an admin restoring an unrecorded namespace', async () => {
      expect(
        await refusal({
          entity: entities.legacy,
          input: { ...legacyInput, targetNamespace: 'legacy-restore-old' },
          requester: root,
        }),
      ).toEqual(
        refused(
          'ConflictError',
          'Namespace legacy-restore-old already exists and is not recorded as the same owner',
        ),
      );
    });

    const opsInput = {
      namespace: 'ops',
      volumes: ['ops-data'],
      targetNamespace: 'ops-restore-1',
    };

    it("with matchRequesterOwnership, allows a namespace of the requester's group", async () => {
      const result = await plan({
        entity: entities.ops,
        input: opsInput,
        requester: olga,
        tenancy: config({ matchRequesterOwnership: true }),
      });
      expect(result).toMatchObject({
        targetNamespace: 'ops-restore-1',
        owner: OPS_TEAM,
        contents: { claims: ['ops-data'] },
      });
    });

    it("with matchRequesterOwnership, still refuses a namespace of none of the requester's groups", async () => {
      expect(
        await refusal({
          entity: entities.ops,
          input: opsInput,
          requester: alice,
          tenancy: config({ matchRequesterOwnership: true }),
        }),
      ).toEqual(refused('NotAllowedError', `recorded as ${OPS_TEAM}'s`));
    });

    it("without matchRequesterOwnership, refuses a namespace of the requester's group", async () => {
      expect(
        await refusal({
          entity: entities.ops,
          input: opsInput,
          requester: olga,
        }),
      ).toEqual(
        refused(
          'NotAllowedError',
          `Namespace ops of cluster lab is recorded as ${OPS_TEAM}'s, not as the owner of component:default/ops-tool`,
        ),
      );
    });
  });

  describe('the backup', () => {
    it('refuses a backup that does not exist', async () => {
      expect(await refusal({ input: { backupName: 'gone' } })).toEqual(
        refused('NotFoundError', 'No Velero backup named gone in cluster lab'),
      );
    });

    it.each([
      ['broken', 'Failed'],
      ['running', 'InProgress'],
    ])('refuses the backup %s, which is %s', async (backupName, phase) => {
      expect(await refusal({ input: { backupName } })).toEqual(
        refused(
          'InputError',
          `Backup ${backupName} is ${phase}; only Completed or PartiallyFailed backups can be restored`,
        ),
      );
    });

    it('refuses a volume the backup holds no copy of', async () => {
      expect(
        await refusal({ input: { volumes: ['data-db-0', 'never-backed-up'] } }),
      ).toEqual(
        refused(
          'InputError',
          'Backup nightly holds no completed copy of shop/never-backed-up',
        ),
      );
    });

    it('refuses a volume whose copy failed', async () => {
      expect(await refusal({ input: { volumes: ['cache-data'] } })).toEqual(
        refused('InputError', 'holds no completed copy of shop/cache-data'),
      );
    });

    it('refuses a volume copied only by another backup', async () => {
      expect(
        await refusal({
          input: { backupName: 'partial', volumes: ['data-db-1'] },
        }),
      ).toEqual(
        refused(
          'InputError',
          'Backup partial holds no completed copy of shop/data-db-1',
        ),
      );
    });

    it('refuses while the backup storage location is Unavailable', async () => {
      expect(
        await refusal({ input: { backupName: 'offsite-nightly' } }),
      ).toEqual(
        refused(
          'ServiceUnavailableError',
          'Backup storage location offsite is Unavailable (bucket offsite not found): Velero cannot read backup offsite-nightly now',
        ),
      );
    });

    it('refuses when the backup storage location does not exist', async () => {
      expect(await refusal({ input: { backupName: 'lost-location' } })).toEqual(
        refused(
          'ServiceUnavailableError',
          'Backup storage location gone of backup lost-location does not exist in cluster lab',
        ),
      );
    });

    it("refuses a ticked volume whose pod is not the entity's", async () => {
      expect(await refusal({ input: { volumes: ['other-data'] } })).toEqual(
        refused(
          'InputError',
          'other-data would not come back: in backup nightly no pod of the entity mounts it',
        ),
      );
    });
  });

  describe('a new namespace', () => {
    it("refuses one that does not exist yet but is recorded as another owner's", async () => {
      // A tenancy with its own inventory knows namespaces before they exist.
      const inventory = new NamespaceOwnership({
        ownerOf: ({ name }) =>
          ((
            { shop: SHOP_TEAM, 'shop-restore-new': BANK_TEAM } as Record<
              string,
              string
            >
          )[name]),
      });
      expect(
        await refusal({
          ownership: inventory,
          input: { targetNamespace: 'shop-restore-new' },
        }),
      ).toEqual(
        refused(
          'ConflictError',
          `shop-restore-new is recorded as ${BANK_TEAM}'s`,
        ),
      );
      await expect(
        plan({
          ownership: inventory,
          input: { targetNamespace: 'shop-restore-other' },
        }),
      ).resolves.toMatchObject({ targetNamespace: 'shop-restore-other' });
    });

    it('needs a target', async () => {
      expect(await refusal({ input: { targetNamespace: undefined } })).toEqual(
        refused(
          'InputError',
          'A restore into a new namespace needs targetNamespace',
        ),
      );
    });

    it.each([
      ['kube-system', 'kube-*'],
      ['velero', 'velero'],
      ['backstage', 'backstage'],
      ['openebs-system', 'openebs-*'],
      ['default', 'default'],
    ])('refuses the reserved target %s', async (target, glob) => {
      expect(await refusal({ input: { targetNamespace: target } })).toEqual(
        refused(
          'NotAllowedError',
          `Namespace ${target} is reserved (${glob}) and cannot receive a restore`,
        ),
      );
    });

    it.each(['shop-copy', 'bank-restore-1', 'shop-restore'])(
      'refuses the target %s, outside the naming rule',
      async target => {
        expect(await refusal({ input: { targetNamespace: target } })).toEqual(
          refused(
            'InputError',
            `Namespace ${target} does not follow the platform's naming rule for restores of shop: use shop-restore-*`,
          ),
        );
      },
    );

    it('refuses the source namespace as target', async () => {
      expect(await refusal({ input: { targetNamespace: 'shop' } })).toEqual(
        refused(
          'InputError',
          'The target namespace is the source namespace: that is an in-place restore',
        ),
      );
    });

    it.each([
      ['shop-restore-foreign', 'recorded as another owner'],
      ['shop-restore-nobody', 'recorded as no owner'],
    ])('refuses the existing target %s, %s', async target => {
      expect(await refusal({ input: { targetNamespace: target } })).toEqual(
        refused(
          'ConflictError',
          `Namespace ${target} already exists and is not recorded as ${SHOP_TEAM}'s; choose a new namespace`,
        ),
      );
    });
  });

  describe('in place', () => {
    const pinned = { entity: entities.shopPinned, base: inPlace };

    it('needs the namespace typed as confirmation', async () => {
      for (const confirmation of [undefined, '', 'Shop', 'bank']) {
        expect(
          await refusal({
            ...pinned,
            cluster: shopDeleted(),
            input: { confirmation },
          }),
        ).toEqual(
          refused(
            'InputError',
            'An in-place restore must be confirmed by typing the namespace (shop)',
          ),
        );
      }
    });

    it('refuses another target namespace', async () => {
      expect(
        await refusal({
          ...pinned,
          cluster: shopDeleted(),
          input: { targetNamespace: 'shop-restore-1' },
        }),
      ).toEqual(
        refused(
          'InputError',
          'An in-place restore goes back into its own namespace; omit targetNamespace',
        ),
      );
    });

    it('plans to stop the workload and delete the claims while they exist', async () => {
      const result = await plan(pinned);
      expect(result.inPlace).toEqual({
        plan: {
          workloads: ['StatefulSet/db'],
          claimsRemoved: ['data-db-0', 'data-db-1'],
          onDeadNodes: [],
        },
        controllers: ['StatefulSet/db'],
        claims: [
          expect.objectContaining({
            name: 'data-db-0',
            uid: expect.any(String),
          }),
          expect.objectContaining({
            name: 'data-db-1',
            uid: expect.any(String),
          }),
        ],
      });
    });

    it('plans only the deletion of a ticked claim no pod mounts', async () => {
      const cluster = shopDeleted();
      cluster.add(claimOf('shop', 'data-db-1'));
      expect((await plan({ ...pinned, cluster })).inPlace?.plan).toEqual({
        workloads: [],
        claimsRemoved: ['data-db-1'],
        onDeadNodes: [],
      });
    });

    it('plans only the stop of a pod mounting a claim that is gone', async () => {
      const cluster = shopDeleted();
      cluster.add(
        podOf({
          namespace: 'shop',
          name: 'db-0',
          labels: shopLabels,
          claims: ['data-db-0'],
          statefulSet: 'db',
        }),
      );
      expect((await plan({ ...pinned, cluster })).inPlace?.plan).toEqual({
        workloads: ['StatefulSet/db'],
        claimsRemoved: [],
        onDeadNodes: [],
      });
    });

    it('names the claims whose node is down', async () => {
      const cluster = world();
      // The volumes' node affinity is where their data is.
      for (const name of ['data-db-0', 'data-db-1']) {
        cluster.add(
          fixtures.claim({
            namespace: 'shop',
            name,
            storageClass: 'openebs-localpv-hostpath',
            node: 'lab-node-1',
          }).volume,
        );
      }
      expect(
        (await plan({ ...pinned, cluster })).inPlace?.plan.onDeadNodes,
      ).toEqual([]);
      cluster.add(fixtures.node('lab-node-1', 'Unknown'));
      expect(
        (await plan({ ...pinned, cluster })).inPlace?.plan.onDeadNodes,
      ).toEqual(['data-db-0', 'data-db-1']);
    });

    it('refuses a pod that no StatefulSet or Deployment runs', async () => {
      const cluster = shopDeleted();
      cluster.add(
        podOf({
          namespace: 'shop',
          name: 'db-0',
          labels: shopLabels,
          claims: ['data-db-0'],
        }),
      );
      expect(await refusal({ ...pinned, cluster })).toEqual(
        refused(
          'NotAllowedError',
          'In-place restore refused: pod db-0 (no controller) is not run by a StatefulSet or Deployment',
        ),
      );
    });

    it('refuses when a stopped pod would come back over a claim not ticked', async () => {
      // Stopping StatefulSet/db for data-db-0 stops db-1 too; Velero would
      // bring db-1 back and write the backup into data-db-1, which exists.
      expect(
        await refusal({ ...pinned, input: { volumes: ['data-db-0'] } }),
      ).toEqual(
        refused(
          'InputError',
          'Tick these too, or restore into a new namespace: data-db-1 (pod db-1).',
        ),
      );
    });

    it('refuses when it would recreate an absent claim that is not ticked', async () => {
      expect(
        await refusal({
          ...pinned,
          cluster: shopDeleted(),
          input: { volumes: ['data-db-0'] },
        }),
      ).toEqual(
        refused(
          'InputError',
          'In-place restore refused: it would also recreate data-db-1 in shop (Velero restores every pod of the entity with its claims). Tick it too to confirm',
        ),
      );
    });
  });
});

describe('restoreContents', () => {
  const selector = parseLabelSelector(`${ID}=shop`);
  const longName = `nightly-${'x'.repeat(70)}`;

  function dataMoverWorld() {
    const cluster = world();
    cluster.add(
      backupOf('dm-nightly'),
      backupOf(longName),
      // A pod outside the entity also mounts data-db-0: the claim is the
      // entity's all the same, and only the entity's workload comes back.
      podOf({
        namespace: 'shop',
        name: 'debug',
        labels: {},
        claims: ['data-db-0'],
      }),
      dataUpload({
        name: 'du-1',
        backupName: 'dm-nightly',
        namespace: 'shop',
        claimName: 'data-db-0',
      }),
      // Mounted only by another workload: not the entity's.
      dataUpload({
        name: 'du-2',
        backupName: 'dm-nightly',
        namespace: 'shop',
        claimName: 'other-data',
      }),
      // Mounted by nobody now: it may be the entity's, so it counts.
      dataUpload({
        name: 'du-3',
        backupName: 'dm-nightly',
        namespace: 'shop',
        claimName: 'orphan-data',
      }),
      // Another backup's copy, and another namespace's.
      dataUpload({
        name: 'du-4',
        backupName: 'dm-other',
        namespace: 'shop',
        claimName: 'data-db-1',
      }),
      dataUpload({
        name: 'du-5',
        backupName: 'dm-nightly',
        namespace: 'bank',
        claimName: 'ledger-data',
      }),
      // Velero shortens long backup names in labels.
      dataUpload({
        name: 'du-6',
        backupName: longName,
        namespace: 'shop',
        claimName: 'data-db-1',
        labelOnly: true,
      }),
    );
    return cluster;
  }

  const backupNamed = (cluster: MemoryCluster, name: string) =>
    cluster.reflectors.backups.store.byIndex('name', name)[0];

  it('reads data-mover copies through the pods that mount their claims', () => {
    const cluster = dataMoverWorld();
    expect(
      restoreContents(
        cluster.cache,
        backupNamed(cluster, 'dm-nightly'),
        'shop',
        selector,
      ),
    ).toEqual({
      claims: ['data-db-0', 'orphan-data'],
      workloads: ['StatefulSet/db'],
    });
  });

  it('matches a data-mover copy by its shortened backup label', () => {
    const cluster = dataMoverWorld();
    expect(
      restoreContents(
        cluster.cache,
        backupNamed(cluster, longName),
        'shop',
        selector,
      ),
    ).toEqual({ claims: ['data-db-1'], workloads: ['StatefulSet/db'] });
  });

  it('finds nothing in a namespace the backup has no copies of', () => {
    const cluster = dataMoverWorld();
    expect(
      restoreContents(
        cluster.cache,
        backupNamed(cluster, 'dm-nightly'),
        'ops',
        selector,
      ),
    ).toEqual({ claims: [], workloads: [] });
  });
});
