import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { listFiles } from '../actions/workspace';

/** Golden trees live in src/__golden__/<name>/. */
// Test helper: finds files in the source tree, never part of a build.
// eslint-disable-next-line no-restricted-syntax
export const GOLDEN_DIR = resolve(__dirname, '../__golden__');

/**
 * Compares every file of a generated tree with its golden copy. With
 * UPDATE_GOLDEN=1 the golden copy is rewritten instead (review the diff).
 */
export async function expectMatchesGolden(
  name: string,
  workspacePath: string,
): Promise<void> {
  const golden = join(GOLDEN_DIR, name);
  const actualFiles = await listFiles(workspacePath);
  if (process.env.UPDATE_GOLDEN === '1') {
    await fs.rm(golden, { recursive: true, force: true });
    for (const f of actualFiles) {
      await fs.mkdir(dirname(join(golden, f)), { recursive: true });
      await fs.copyFile(join(workspacePath, f), join(golden, f));
    }
    return;
  }
  let goldenFiles: string[];
  try {
    goldenFiles = await listFiles(golden);
  } catch {
    throw new Error(
      `no golden tree ${golden}: run the test once with UPDATE_GOLDEN=1`,
    );
  }
  expect(actualFiles).toEqual(goldenFiles);
  for (const f of actualFiles) {
    const [a, g] = await Promise.all([
      fs.readFile(join(workspacePath, f), 'utf8'),
      fs.readFile(join(golden, f), 'utf8'),
    ]);
    expect({ file: f, content: a }).toEqual({ file: f, content: g });
  }
}
