// Schedules repeat the same few patterns on every request: compile once.
const compiled = new Map<string, RegExp>();

/** Velero's namespace patterns: `*` for all, and shell-style globs. */
export function globToRegExp(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const escaped = pattern
    .split('')
    .map(char => {
      if (char === '*') return '.*';
      if (char === '?') return '.';
      return char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regExp = new RegExp(`^${escaped}$`);
  compiled.set(pattern, regExp);
  return regExp;
}

function matchesAny(namespace: string, patterns: string[]): boolean {
  return patterns.some(pattern => globToRegExp(pattern).test(namespace));
}

/**
 * Whether a backup spec's namespace filters include a namespace: an empty
 * include list means all namespaces, and exclusions win.
 */
export function namespaceInScope(
  namespace: string,
  included: string[],
  excluded: string[],
): boolean {
  const isIncluded = included.length === 0 || matchesAny(namespace, included);
  return isIncluded && !matchesAny(namespace, excluded);
}
