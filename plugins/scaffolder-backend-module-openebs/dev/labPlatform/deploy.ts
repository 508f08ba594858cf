/*
 * Applies a Flux cluster tree (the platform template's output, see
 * render.ts) to the lab the way Flux's controllers would, with the real
 * tools instead of the controllers (which need images we cannot fetch):
 *
 * - each Flux Kustomization (`ks.yaml`) in `dependsOn` order: the real
 *   `kustomize build` of its path, `targetNamespace` set on namespaced objects;
 * - SOPS-encrypted files decrypted by the real `sops` with the lab's age key
 *   (what kustomize-controller's `decryption` does);
 * - HelmReleases installed by the real `helm` from the pinned chart in
 *   ../shared/charts (what helm-controller does with the HelmRepository);
 * - everything else applied server-side by the real `kubectl`.
 *
 * Departures for the lab are listed, with their reasons, in labOverrides.ts
 * and docs/lab.md; nothing else is changed.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/scaffolder-backend-module-openebs/dev/labPlatform/deploy.ts TREE_DIR
 *
 * Env: KUBECONFIG, SOPS_AGE_KEY_FILE, LAB_BIN (kubectl, kustomize, helm,
 * sops), OPENEBS_SHARED_DIR (charts), and what labOverrides.ts reads.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import {
  helmValueOverrides,
  isSkippedInLab,
  secretOverrides,
} from './labOverrides';

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: any;
  [k: string]: unknown;
};

/** Kinds a Flux tree of ours holds that are not namespaced. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'StorageClass',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
]);

const SOURCE_KINDS = new Set([
  'GitRepository',
  'HelmRepository',
  'OCIRepository',
]);

function log(message: string) {
  process.stderr.write(`[platform] ${message}\n`);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see docs/lab.md)`);
  return value;
}

function tool(name: 'kubectl' | 'kustomize' | 'helm' | 'sops'): string {
  const path = join(required('LAB_BIN'), name);
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: build it with lab/scripts/build.sh or lab/tools/build-tools.sh`,
    );
  }
  return path;
}

function run(command: string, args: string[], input?: string): string {
  try {
    return execFileSync(command, args, {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error: any) {
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${error.stderr || error.message}`,
    );
  }
}

function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map(doc => doc.toJS())
    .filter((m): m is Manifest => !!m && typeof m === 'object' && 'kind' in m);
}

/**
 * YAML for Go readers (sops, kubectl): YAML 1.1 quotes strings such as
 * `2026-11-26T23:33:51Z` that Go's parsers would otherwise read as
 * timestamps (sops then refuses its own `lastmodified`).
 */
function toYaml(manifest: Manifest): string {
  return stringify(manifest, { version: '1.1' });
}

function findFiles(dir: string, matches: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap(entry => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return findFiles(path, matches);
    return matches(entry) ? [path] : [];
  });
}

/** The tree's Flux Kustomizations, dependencies first. */
export function fluxKustomizations(tree: string): Manifest[] {
  const all = findFiles(join(tree, 'kubernetes'), name => name === 'ks.yaml')
    .flatMap(file => parseManifests(readFileSync(file, 'utf8')))
    .filter(
      m =>
        m.kind === 'Kustomization' &&
        m.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'),
    );
  const byName = new Map(all.map(k => [k.metadata.name, k]));
  const ordered: Manifest[] = [];
  const visiting = new Set<string>();
  const visit = (k: Manifest) => {
    if (ordered.includes(k)) return;
    if (visiting.has(k.metadata.name)) {
      throw new Error(
        `Flux Kustomizations depend on each other in a cycle at ${k.metadata.name}`,
      );
    }
    visiting.add(k.metadata.name);
    for (const dep of k.spec?.dependsOn ?? []) {
      const target = byName.get(dep.name);
      // A dependency outside this tree (flux-system itself) is Flux's own.
      if (target) visit(target);
    }
    visiting.delete(k.metadata.name);
    ordered.push(k);
  };
  all.forEach(visit);
  return ordered;
}

/**
 * Decrypts the SOPS files under a Kustomization's path in place, before
 * `kustomize build`. kustomize-controller decrypts each built resource while
 * it still has the file's field order; `kustomize build`'s printed output
 * sorts fields, and SOPS's MAC covers their order, so decrypting what it
 * prints fails with a MAC mismatch.
 */
function decryptSources(dir: string, ks: Manifest) {
  for (const file of findFiles(dir, name => /\.ya?ml$/.test(name))) {
    const docs = parseManifests(readFileSync(file, 'utf8'));
    if (!docs.some(doc => 'sops' in doc)) continue;
    if (!ks.spec.decryption) {
      throw new Error(
        `${file} is SOPS-encrypted but Kustomization ${ks.metadata.name} has no decryption`,
      );
    }
    writeFileSync(file, run(tool('sops'), ['--decrypt', file]));
  }
}

function applyAll(manifests: Manifest[]) {
  if (manifests.length === 0) return;
  const out = run(
    tool('kubectl'),
    [
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=lab-platform',
      '-f',
      '-',
    ],
    manifests.map(m => `---\n${toYaml(m)}`).join(''),
  );
  for (const line of out.trim().split('\n')) log(`  ${line}`);
}

function chartFile(chart: string, version: string): string {
  const file = resolve(
    required('OPENEBS_SHARED_DIR'),
    'charts',
    `${chart}-${version}.tgz`,
  );
  if (!existsSync(file)) {
    throw new Error(
      `chart ${chart} ${version} is not in ${file}: the lab only installs pinned charts from ../shared/charts`,
    );
  }
  return file;
}

function installRelease(release: Manifest, namespace: string, workDir: string) {
  const { chart, version } = release.spec.chart.spec;
  const values = helmValueOverrides(
    release.metadata.name,
    release.spec.values ?? {},
  );
  const valuesFile = join(workDir, `${release.metadata.name}.values.json`);
  writeFileSync(valuesFile, JSON.stringify(values));
  const started = Date.now();
  log(`helm: ${release.metadata.name} (${chart} ${version}) in ${namespace}`);
  run(tool('helm'), [
    'upgrade',
    '--install',
    release.spec.releaseName ?? release.metadata.name,
    chartFile(chart, version),
    '--namespace',
    namespace,
    '--values',
    valuesFile,
    // HelmRelease `install.crds: CreateReplace`: helm installs the chart's crds/.
    '--wait',
    '--timeout',
    '10m',
  ]);
  log(
    `helm: ${release.metadata.name} ready in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s`,
  );
}

export function deploy(tree: string) {
  const workDir = mkdtempSync(join(tmpdir(), 'lab-platform-'));
  try {
    // Decrypted files go to a copy: the tree stays as the template wrote it.
    const copy = join(workDir, 'tree');
    cpSync(tree, copy, { recursive: true });
    for (const ks of fluxKustomizations(tree)) {
      const namespace: string | undefined = ks.spec.targetNamespace;
      log(
        `Kustomization ${ks.metadata.name}: ${ks.spec.path}${
          namespace ? ` → ${namespace}` : ''
        }`,
      );
      const path = resolve(copy, ks.spec.path);
      decryptSources(path, ks);
      const built = parseManifests(run(tool('kustomize'), ['build', path]));
      const plain: Manifest[] = [];
      const releases: Manifest[] = [];
      for (let manifest of built) {
        if (namespace && !CLUSTER_SCOPED.has(manifest.kind)) {
          manifest.metadata.namespace = namespace;
        }
        const skipped = isSkippedInLab(manifest);
        if (skipped) {
          log(
            `  skipped ${manifest.kind} ${manifest.metadata.name}: ${skipped}`,
          );
          continue;
        }
        if (SOURCE_KINDS.has(manifest.kind)) continue; // charts come from ../shared/charts
        if (manifest.kind === 'Secret') manifest = secretOverrides(manifest);
        if (manifest.kind === 'HelmRelease') releases.push(manifest);
        else plain.push(manifest);
      }
      // Namespaces and secrets first, as Flux applies them before the rest.
      applyAll(plain);
      for (const release of releases) {
        installRelease(
          release,
          release.spec.targetNamespace ??
            release.metadata.namespace ??
            'default',
          workDir,
        );
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    const tree = process.argv[2];
    if (!tree) throw new Error('usage: deploy.ts TREE_DIR');
    deploy(resolve(tree));
  } catch (error: any) {
    process.stderr.write(`${error.message ?? error}\n`);
    process.exit(1);
  }
}
