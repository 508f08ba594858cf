import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/** The repository's lab/tools/build-tools.sh, from this package's src/testing. */
// Test helper: finds files in the source tree, never part of a build.
// eslint-disable-next-line no-restricted-syntax
export const BUILD_TOOLS_SCRIPT = resolve(
  __dirname,
  '../../../../lab/tools/build-tools.sh',
);

/** A cold build of sops or kustomize takes minutes on 2 cores. */
export const TOOL_BUILD_TIMEOUT_MS = 20 * 60 * 1000;

/**
 * The path of a Go tool built from its module in lab/tools/<name> by
 * lab/tools/build-tools.sh (a no-op when up to date). Throws, failing the
 * test, when it cannot be built: these tests never skip.
 */
export function requireTool(name: 'sops' | 'kustomize' | 'helm'): string {
  let out: string;
  try {
    out = execFileSync(BUILD_TOOLS_SCRIPT, [name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TOOL_BUILD_TIMEOUT_MS,
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `${name} is required by this test and could not be built by ${BUILD_TOOLS_SCRIPT} ` +
        `(Go 1.26 on PATH and the Go module proxy are needed; run it by hand to see why):\n` +
        `${err.stderr || err.message}`,
    );
  }
  const line = out.split('\n').find(l => l.startsWith(`${name}=`));
  const path = line?.slice(name.length + 1);
  if (!path || !existsSync(path)) {
    throw new Error(
      `${name} is required by this test but ${BUILD_TOOLS_SCRIPT} printed no usable path:\n${out}`,
    );
  }
  return path;
}

/** `kustomize build DIR` with the real kustomize; the rendered objects. */
export function kustomizeBuild(kustomize: string, dir: string): any[] {
  let out: string;
  try {
    out = execFileSync(kustomize, ['build', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `kustomize build ${dir} failed:\n${err.stderr || err.message}`,
    );
  }
  return parseAllDocuments(out).map(d => d.toJS());
}

/**
 * promtool from Debian's `prometheus` package, which scripts/test.sh installs
 * through scripts/prereqs.sh. Throws, failing the test, when it is not on
 * PATH: like the Go tools, it never skips.
 */
export function requirePromtool(): string {
  try {
    execFileSync('promtool', ['--version'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(
      `promtool is required by this test and was not found on PATH ` +
        `(Debian: scripts/prereqs.sh prometheus):\n${(e as Error).message}`,
    );
  }
  return 'promtool';
}

/**
 * `helm template` of a pinned chart archive with exactly `values`, as Flux's
 * helm-controller would render the HelmRelease, in a cluster with the
 * Prometheus operator's CRDs. `workDir` holds the values file and helm's
 * cache and config, so that no user settings leak in.
 */
export async function helmTemplate(
  helm: string,
  options: {
    release: string;
    chartArchive: string;
    namespace: string;
    values: unknown;
    workDir: string;
  },
): Promise<any[]> {
  const valuesFile = join(options.workDir, `${options.release}.values.yaml`);
  await fs.writeFile(valuesFile, stringify(options.values));
  const out = execFileSync(
    helm,
    [
      'template',
      options.release,
      options.chartArchive,
      '--namespace',
      options.namespace,
      '--values',
      valuesFile,
      '--api-versions',
      'monitoring.coreos.com/v1',
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        HELM_CACHE_HOME: options.workDir,
        HELM_CONFIG_HOME: options.workDir,
        HELM_DATA_HOME: options.workDir,
      },
    },
  );
  return parseAllDocuments(out)
    .map(d => d.toJS())
    .filter(Boolean);
}
