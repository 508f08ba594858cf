// Formats that both the actions' inputs and the validator check, so that what
// an action accepts is what the validator lets through.

/** A Kubernetes name (RFC 1123 label): namespaces, apps, Secrets. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A pinned chart version: SemVer, optionally `v`-prefixed, never a range. */
export const EXACT_VERSION = /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;

/** A five-field cron expression, as a Velero Schedule takes. */
export const CRON = /^(\S+\s+){4}\S+$/;

/** A Velero TTL: Go's duration in hours, minutes and seconds (`720h0m0s`). */
export const TTL = /^([0-9]+h)?([0-9]+m)?([0-9]+s)?$/;
