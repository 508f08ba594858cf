import { InputError } from '@backstage/errors';

/**
 * Velero's file-system backup copies a volume's files one by one while the
 * database keeps writing: the copy of a live data directory can be torn,
 * and no snapshot makes it atomic on a hostpath volume (fsfreeze would
 * freeze the node's whole filesystem). So before each backup a hook dumps
 * the database onto the volume, and the dump, written whole and then
 * renamed, is what the backup is sure to hold consistent; after a restore a
 * hook checks the dump is complete and the server answers, so a restore
 * whose data cannot be trusted ends PartiallyFailed instead of Completed.
 */

export const DATABASE_ENGINES = ['postgresql'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

export type DatabaseHooks = {
  engine: DatabaseEngine;
  /** The container the database runs in (where the hooks exec). */
  container: string;
  /** A directory on the backed-up volume, inside that container. */
  dumpDir: string;
};

/** The dump's file name in dumpDir. */
export const DUMP_FILE = 'velero-dump.sql';

/**
 * A path put into a shell command: absolute, and nothing the shell would
 * read as anything but a path.
 */
const SAFE_DIR = /^\/[A-Za-z0-9._/-]*$/;

type EngineCommands = { dump: string; check: string };

// Run by `sh -c` in the database's container, as its image's user. The
// PostgreSQL images trust local socket connections of their superuser
// (POSTGRES_USER, default postgres).
const ENGINES: Record<DatabaseEngine, (file: string) => EngineCommands> = {
  postgresql: file => ({
    dump: [
      'set -eu',
      `pg_dumpall -U "\${POSTGRES_USER:-postgres}" > '${file}.partial'`,
      `mv '${file}.partial' '${file}'`,
    ].join('; '),
    check: [
      'set -eu',
      // The server may still be replaying its WAL after the restore.
      'i=0',
      `until pg_isready -q -U "\${POSTGRES_USER:-postgres}"; do i=$((i+1)); [ $i -lt 60 ] || exit 1; sleep 2; done`,
      `tail -n 3 '${file}' | grep -q 'PostgreSQL database cluster dump complete'`,
      `psql -U "\${POSTGRES_USER:-postgres}" -Atc 'select 1' postgres > /dev/null`,
    ].join('; '),
  }),
};

/** The engine's dump and check as `sh -c` scripts, for the hooks and tests. */
export function databaseCommands(hooks: DatabaseHooks): EngineCommands {
  if (!SAFE_DIR.test(hooks.dumpDir)) {
    throw new InputError(
      `database.dumpDir ${hooks.dumpDir}: an absolute path of letters, digits, '.', '_', '-' and '/' only`,
    );
  }
  const file = `${hooks.dumpDir.replace(/\/+$/, '')}/${DUMP_FILE}`;
  return ENGINES[hooks.engine](file);
}

/**
 * Velero's hook annotations for the database's pods: the dump before each
 * backup (the backup fails if the dump does), the check after each restore.
 */
export function databaseHookAnnotations(
  hooks: DatabaseHooks,
): Record<string, string> {
  const { dump, check } = databaseCommands(hooks);
  const sh = (script: string) => JSON.stringify(['/bin/sh', '-c', script]);
  return {
    'pre.hook.backup.velero.io/container': hooks.container,
    'pre.hook.backup.velero.io/command': sh(dump),
    'pre.hook.backup.velero.io/on-error': 'Fail',
    'pre.hook.backup.velero.io/timeout': '10m',
    'post.hook.restore.velero.io/container': hooks.container,
    'post.hook.restore.velero.io/command': sh(check),
    'post.hook.restore.velero.io/on-error': 'Continue',
    'post.hook.restore.velero.io/exec-timeout': '3m',
    'post.hook.restore.velero.io/wait-timeout': '10m',
  };
}

/**
 * The hooks of a workload's form input: for a StatefulSet of ours the
 * container and the volume's mount path are known; a chart's must be named.
 */
export function workloadDatabaseHooks(
  // The action's input as a template passes it: schema defaults are not
  // applied to nested fields, so an unset engine arrives undefined.
  input:
    | { engine?: DatabaseEngine | 'none'; container?: string; dumpDir?: string }
    | undefined,
  workload:
    | { type: 'helm' }
    | { type: 'statefulset'; name: string; mountPath?: string },
): DatabaseHooks | undefined {
  if (!input?.engine || input.engine === 'none') return undefined;
  const { engine } = input;
  if (workload.type === 'statefulset') {
    return {
      engine,
      container: input.container || workload.name,
      dumpDir: input.dumpDir || workload.mountPath || '/data',
    };
  }
  if (!input.container || !input.dumpDir) {
    throw new InputError(
      "database: a chart's container and a directory on its volume (dumpDir) are needed for the hooks",
    );
  }
  return {
    engine,
    container: input.container,
    dumpDir: input.dumpDir,
  };
}
