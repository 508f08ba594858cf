import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createWorkspace } from '../__testUtils__/actionContext';
import { databaseCommands, DUMP_FILE } from './databaseHooks';

/*
 * The PostgreSQL hooks' scripts, run by `sh` against a real PostgreSQL
 * server (Debian's, a throwaway one of this test: scripts/postgres.sh): the
 * dump made before a backup restores a database whole, the check made after
 * a restore passes on it and fails on a torn one, and a failed dump leaves
 * the last good one in place. Velero running them in a pod is its own
 * (docs/gitops-templates.md says what is and is not proven).
 */

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../../../..');

jest.setTimeout(120_000);

describe('PostgreSQL consistency hooks', () => {
  let state: string;
  let env: NodeJS.ProcessEnv;
  let dumpDir: string;

  // The test's own statements, as the server's superuser; the hooks name
  // their user themselves (-U), as they must in a pod.
  const admin = () => ({ ...env, PGUSER: 'postgres' });
  const psql = (sql: string, db = 'postgres') =>
    run('psql', ['-v', 'ON_ERROR_STOP=1', '-Atc', sql, db], { env: admin() });
  const hooks = () =>
    databaseCommands({
      engine: 'postgresql',
      container: 'postgresql',
      dumpDir,
    });
  const sh = (script: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    run('/bin/sh', ['-c', script], { env: { ...env, ...extraEnv } });

  beforeAll(async () => {
    state = await createWorkspace();
    const { stdout } = await run(
      join(repoRoot, 'scripts/postgres.sh'),
      ['up', state],
      { env: process.env },
    );
    const url = new URL(/POSTGRES_URL=(\S+)/.exec(stdout)![1]);
    // How the hooks find the server in a pod (its socket) is the image's;
    // here libpq's variables point them at the test server.
    env = {
      ...process.env,
      PGHOST: url.hostname,
      PGPORT: url.port,
      POSTGRES_USER: 'postgres',
    };
    dumpDir = await createWorkspace();
    await psql('CREATE DATABASE ledger');
    await psql(
      "CREATE TABLE entries (id int PRIMARY KEY, note text); INSERT INTO entries SELECT g, 'entry ' || g FROM generate_series(1, 500) g",
      'ledger',
    );
  });

  afterAll(async () => {
    if (state) {
      await run(join(repoRoot, 'scripts/postgres.sh'), ['down', state]).catch(
        () => undefined,
      );
    }
  });

  it('dumps a database that restores whole, and the check passes on it', async () => {
    const { dump, check } = hooks();
    await sh(dump);
    await expect(fs.readdir(dumpDir)).resolves.toEqual([DUMP_FILE]);
    await sh(check);

    // The volume restored, the database lost: the dump brings it back.
    await psql('DROP DATABASE ledger');
    await run('psql', ['-q', '-f', join(dumpDir, DUMP_FILE), 'postgres'], {
      env: admin(),
    });
    const { stdout } = await psql(
      "SELECT count(*), sum(id), max(note) FROM entries WHERE note LIKE 'entry %'",
      'ledger',
    );
    expect(stdout.trim()).toBe('500|125250|entry 99');
  });

  it('fails the check on a torn dump', async () => {
    const { dump, check } = hooks();
    await sh(dump);
    const file = join(dumpDir, DUMP_FILE);
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.slice(0, Math.floor(text.length / 2)));
    await expect(sh(check)).rejects.toMatchObject({ code: 1 });
  });

  it('keeps the last good dump when a dump fails', async () => {
    const { dump } = hooks();
    await sh(dump);
    const file = join(dumpDir, DUMP_FILE);
    const good = await fs.readFile(file, 'utf8');
    // No server there: pg_dumpall fails, so the backup's pre hook fails.
    await expect(sh(dump, { PGPORT: '1' })).rejects.toMatchObject({
      code: expect.any(Number),
    });
    expect(await fs.readFile(file, 'utf8')).toBe(good);
  });
});
