import fs from 'node:fs';

/**
 * The `KEY=value` lines of an env file as the lab's scripts write them
 * (lab/scripts/up.sh's STATE/env, the full lab's STATE/env-node,
 * lab/scripts/gitea.sh's output): valid shell and dotenv, an optional
 * `export `, the value in optional quotes. Other lines are skipped.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
  }
  return values;
}

/** {@link parseEnvFile} of a file. */
export function readEnvFile(file: string): Record<string, string> {
  return parseEnvFile(fs.readFileSync(file, 'utf8'));
}
