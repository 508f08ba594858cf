import { InputError } from '@backstage/errors';

/**
 * One requirement of a Kubernetes label selector.
 *
 * Selectors are evaluated here, against cached objects, rather than sent to the
 * API server: the request path never lists a cluster.
 */
export type LabelRequirement =
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Exists' | 'DoesNotExist' };

export type LabelSelector = LabelRequirement[];

/** The `matchLabels` / `matchExpressions` object form used in resource specs. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function checkKey(key: string, source: string): string {
  if (!LABEL_KEY.test(key)) {
    throw new InputError(`Invalid label key "${key}" in selector "${source}"`);
  }
  return key;
}

function checkValue(value: string, source: string): string {
  if (!LABEL_VALUE.test(value)) {
    throw new InputError(
      `Invalid label value "${value}" in selector "${source}"`,
    );
  }
  return value;
}

/** Splits on commas that are not inside a `(...)` value set. */
function splitTerms(source: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of source) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(t => t.length > 0);
}

/**
 * Parses the string form of a label selector, as written in the
 * `backstage.io/kubernetes-label-selector` annotation
 * (`a=b,c!=d,e in (x,y),f notin (z),g,!h`).
 *
 * Throws an InputError naming the bad term, so a malformed annotation is
 * reported instead of silently matching nothing (or everything).
 */
export function parseLabelSelector(source: string): LabelSelector {
  const requirements: LabelSelector = [];
  for (const term of splitTerms(source)) {
    const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    const equalityMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (setMatch) {
      const [, key, op, rawValues] = setMatch;
      const values = rawValues
        .split(',')
        .map(v => v.trim())
        .filter(v => v.length > 0)
        .map(v => checkValue(v, source));
      if (values.length === 0) {
        throw new InputError(`Empty value set in selector term "${term}"`);
      }
      requirements.push({
        key: checkKey(key, source),
        operator: op === 'in' ? 'In' : 'NotIn',
        values,
      });
    } else if (equalityMatch) {
      const [, key, op, value] = equalityMatch;
      requirements.push({
        key: checkKey(key, source),
        operator: op === '!=' ? 'NotIn' : 'In',
        values: [checkValue(value, source)],
      });
    } else if (term.startsWith('!')) {
      requirements.push({
        key: checkKey(term.slice(1).trim(), source),
        operator: 'DoesNotExist',
      });
    } else if (/^\S+$/.test(term)) {
      requirements.push({ key: checkKey(term, source), operator: 'Exists' });
    } else {
      throw new InputError(
        `Cannot parse term "${term}" of label selector "${source}"`,
      );
    }
  }
  if (requirements.length === 0) {
    throw new InputError('Label selector is empty');
  }
  return requirements;
}

/**
 * Converts the object form of a selector (Velero schedules, workloads).
 * An empty object selects everything, as in Kubernetes.
 */
export function labelSelectorFromObject(
  selector: LabelSelectorObject,
): LabelSelector {
  const requirements: LabelSelector = Object.entries(
    selector.matchLabels ?? {},
  ).map(([key, value]) => ({ key, operator: 'In' as const, values: [value] }));
  for (const expression of selector.matchExpressions ?? []) {
    if (expression.operator === 'In' || expression.operator === 'NotIn') {
      requirements.push({
        key: expression.key,
        operator: expression.operator,
        values: expression.values ?? [],
      });
    } else if (
      expression.operator === 'Exists' ||
      expression.operator === 'DoesNotExist'
    ) {
      requirements.push({ key: expression.key, operator: expression.operator });
    }
  }
  return requirements;
}

export function matchesLabels(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const actual = labels ?? {};
  return selector.every(requirement => {
    const has = Object.prototype.hasOwnProperty.call(actual, requirement.key);
    switch (requirement.operator) {
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'In':
        return has && requirement.values.includes(actual[requirement.key]);
      case 'NotIn':
        return !has || !requirement.values.includes(actual[requirement.key]);
      default:
        return false;
    }
  });
}
