import { InputError } from '@backstage/errors';
import { parse } from 'yaml';

type CreationRule = { path_regex?: unknown; age?: unknown };

/**
 * The age recipients a repository's .sops.yaml names for `path`: those of the
 * first creation rule whose `path_regex` matches (unanchored, as SOPS matches
 * it), or none when no rule does. These are the keys the cluster decrypts
 * with, so a Secret the template writes must be encrypted for them too.
 */
export function repositoryRecipients(
  sopsYaml: string | undefined,
  path: string,
): string[] {
  if (sopsYaml === undefined) return [];
  let config: { creation_rules?: CreationRule[] } | null;
  try {
    config = parse(sopsYaml);
  } catch (e) {
    throw new InputError(
      `.sops.yaml of the repository is not valid YAML: ${e}`,
    );
  }
  const rules = Array.isArray(config?.creation_rules)
    ? config!.creation_rules
    : [];
  const rule = rules.find(r => {
    if (r?.path_regex === undefined) return true;
    try {
      return new RegExp(String(r.path_regex)).test(path);
    } catch {
      throw new InputError(
        `.sops.yaml: path_regex ${String(
          r.path_regex,
        )} is not a regular expression this portal can read`,
      );
    }
  });
  if (!rule) return [];
  const age = Array.isArray(rule.age) ? rule.age.join(',') : rule.age;
  if (typeof age !== 'string' || !age.trim()) {
    throw new InputError(
      `.sops.yaml encrypts ${path} with keys other than age (its rule ${String(
        rule.path_regex ?? '(every path)',
      )} names no age recipient): this portal encrypts with age only`,
    );
  }
  return age
    .split(',')
    .map(r => r.trim())
    .filter(Boolean);
}
