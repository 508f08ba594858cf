/** MiB per unit of each suffix of a Kubernetes quantity we accept for memory. */
const MI_PER_UNIT: Record<string, number> = {
  '': 1 / 1024 ** 2,
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 ** 2,
  k: 1000 / 1024 ** 2,
  M: 1000 ** 2 / 1024 ** 2,
  G: 1000 ** 3 / 1024 ** 2,
  T: 1000 ** 4 / 1024 ** 2,
};

/**
 * A Kubernetes memory quantity in MiB (binary and decimal suffixes), for
 * comparing limits with NFR-SCALE-001's 500Mi. Undefined for what it does not
 * take (a sign, an exponent, a milli-unit), which callers report as invalid.
 */
export function memoryMi(quantity: unknown): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(
    String(quantity ?? ''),
  );
  if (!m) return undefined;
  return Number(m[1]) * MI_PER_UNIT[m[2] ?? ''];
}
