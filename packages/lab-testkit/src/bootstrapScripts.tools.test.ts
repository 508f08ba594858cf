import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './labCluster';

// What a fresh machine meets first: no Go on PATH, no chart folder beside the
// clone. These run the real scripts (the Go toolchain really comes from the
// Go module proxy), in a scratch cache so the machine's own stays untouched.

/** PATH with every directory that holds a `go` left out. */
function pathWithoutGo(): string {
  return (process.env.PATH ?? '')
    .split(':')
    .filter(dir => dir && !fs.existsSync(path.join(dir, 'go')))
    .join(':');
}

function bash(script: string, env: Record<string, string>) {
  const result = spawnSync('bash', ['-c', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const TOOLCHAIN_ZIP = 'golang.org/toolchain/@v/v0.0.1-go1.26.8.linux-amd64.zip';

describe('scripts/go-toolchain.sh', () => {
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'go-toolchain-'));
  });
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  it('installs the pinned Go from the module proxy where none is on PATH, once', () => {
    const first = bash('. scripts/go-toolchain.sh && go env GOVERSION GOROOT', {
      OPENEBS_PORTAL_CACHE: cache,
      PATH: pathWithoutGo(),
    });
    expect(first.stderr).toContain('fetching Go 1.26.8');
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual([
      'go1.26.8',
      path.join(cache, 'go1.26.8'),
    ]);
    // The compiler and linker came out of the zip executable.
    expect(
      fs.statSync(path.join(cache, 'go1.26.8/pkg/tool/linux_amd64/compile'))
        .mode & 0o111,
    ).not.toBe(0);

    const again = bash('. scripts/go-toolchain.sh && go env GOVERSION', {
      OPENEBS_PORTAL_CACHE: cache,
      PATH: pathWithoutGo(),
    });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('fetching');
  });

  it('refuses a toolchain whose checksum is not the pinned one, and installs nothing', () => {
    // A proxy (a file: URL, as GOPROXY allows) serving other bytes under the
    // pinned version's name.
    const proxy = path.join(cache, 'proxy');
    fs.mkdirSync(path.dirname(path.join(proxy, TOOLCHAIN_ZIP)), {
      recursive: true,
    });
    fs.writeFileSync(path.join(proxy, TOOLCHAIN_ZIP), 'not the toolchain');

    const result = bash('. scripts/go-toolchain.sh && go version', {
      OPENEBS_PORTAL_CACHE: cache,
      PATH: pathWithoutGo(),
      GOPROXY: `file://${proxy}`,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('does not have the pinned sha256');
    expect(fs.readdirSync(cache)).toEqual(['proxy']);
  });
});

describe('lab/scripts/charts.sh', () => {
  const pinned = fs
    .readFileSync(path.join(REPO_ROOT, 'lab/charts.tsv'), 'utf8')
    .split('\n')
    .filter(line => line && !line.startsWith('#'))
    .map(line => line.split('\t'));

  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'charts-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('names every missing chart with its upstream repository and how to point at a folder', () => {
    const result = bash('lab/scripts/charts.sh', {
      OPENEBS_SHARED_DIR: path.join(folder, 'no-such-shared'),
    });
    expect(result.code).toBe(1);
    expect(pinned.length).toBeGreaterThanOrEqual(3);
    for (const [name, version, repository] of pinned) {
      expect(result.stderr).toContain(
        `${name}-${version}.tgz   helm pull ${name} --repo ${repository} --version ${version}`,
      );
    }
    expect(result.stderr).toContain('set OPENEBS_CHARTS_DIR');
  });

  it('prints the folder that holds them all', () => {
    for (const [name, version] of pinned) {
      fs.writeFileSync(path.join(folder, `${name}-${version}.tgz`), '');
    }
    const result = bash('lab/scripts/charts.sh', {
      OPENEBS_CHARTS_DIR: folder,
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(folder);
  });
});
