import fs from 'fs';
import path from 'path';
import {
  LabCluster,
  labCluster,
  labEnvFile,
} from '@openebs-portal/lab-testkit';

/** The repository root (bench/src/ is two levels down). */
export const REPO_ROOT = path.resolve(__dirname, '../..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench/results');
export const LATEST_RESULTS = path.join(RESULTS_DIR, 'latest.json');
/** load.json for bench cluster 1, load-2.json for cluster 2, … */
export const loadResults = (cluster: number) =>
  path.join(RESULTS_DIR, cluster === 1 ? 'load.json' : `load-${cluster}.json`);

/** How many bench clusters a run uses (BENCH_CLUSTERS, 1 by default). */
export const BENCH_CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1);

/** The state dir of bench cluster k: lab/_state-bench, lab/_state-bench-2, … */
export const benchState = (cluster: number) =>
  cluster === 1 ? 'lab/_state-bench' : `lab/_state-bench-${cluster}`;

/**
 * The benchmark's own lab (lab/_state-bench), never lab/_state or
 * lab/_state-test, which the dev portal and scripts/test.sh use:
 * OPENEBS_LAB_ENV when set (scripts/bench.sh sets it), else
 * lab/_state-bench/env.
 */
export function benchLab(): LabCluster {
  return labCluster(labEnvFile('lab/_state-bench'));
}

/** Every bench cluster of the run, named as the backend's config names them. */
export function benchLabs(): Array<{ name: string; lab: LabCluster }> {
  return Array.from({ length: BENCH_CLUSTERS }, (_, i) => ({
    name: i === 0 ? 'lab' : `lab-${i + 1}`,
    lab: labCluster(path.join(REPO_ROOT, benchState(i + 1), 'env')),
  }));
}

/**
 * Writes JSON as Prettier prints it, so that the repository's
 * `prettier --check .` passes with results present (bench/results/ is
 * git-ignored, but Prettier 2 does not read .gitignore).
 */
export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prettier = require('prettier') as {
    format(source: string, options: object): string;
    resolveConfig: { sync(file: string): object | null };
  };
  const options = { ...prettier.resolveConfig.sync(file), parser: 'json' };
  fs.writeFileSync(file, prettier.format(JSON.stringify(value), options));
}

export function readJson<T>(file: string): T | undefined {
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T)
    : undefined;
}
