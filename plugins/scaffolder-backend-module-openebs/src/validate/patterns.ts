import { CronTime } from 'cron';

// Formats that both the actions' inputs and the validator check, so that what
// an action accepts is what the validator lets through.

/** A Kubernetes name (RFC 1123 label): namespaces, apps, Secrets. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A pinned chart version: SemVer, optionally `v`-prefixed, never a range. */
export const EXACT_VERSION = /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;

/** The shape of a five-field cron expression (the form's first check). */
export const CRON = /^(\S+\s+){4}\S+$/;

const CRON_DESCRIPTOR =
  /^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every\s+([0-9]+(\.[0-9]+)?(h|m|s|ms))+)$/;

/**
 * Why `expr` is not a schedule Velero accepts (five fields, each in range,
 * or a descriptor such as `@daily` / `@every 6h`), or undefined when it is.
 * The fields are parsed by the `cron` package, so `61 2 * * *` or
 * `0 2 * * 8` are caught here, not by Velero after the merge.
 */
export function cronProblem(expr: string): string | undefined {
  const text = expr.trim();
  if (CRON_DESCRIPTOR.test(text)) return undefined;
  if (!CRON.test(text)) {
    return `must be a five-field cron expression or a descriptor such as @daily, got '${expr}'`;
  }
  try {
    // eslint-disable-next-line no-new
    new CronTime(text);
    return undefined;
  } catch (e) {
    return `'${expr}' is not a valid cron expression: ${(e as Error).message}`;
  }
}

/** A Velero TTL: Go's duration in hours, minutes and seconds (`720h0m0s`). */
export const TTL = /^([0-9]+h)?([0-9]+m)?([0-9]+s)?$/;

/**
 * A Prometheus duration as a rule's `for:` takes it (`90m`, `1h30m`, `2d`):
 * units largest first, at least one.
 */
export const PROMETHEUS_DURATION =
  /^(?=\d)([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$/;
