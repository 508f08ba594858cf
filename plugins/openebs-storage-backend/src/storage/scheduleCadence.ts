import { CronExpressionParser } from 'cron-parser';

/**
 * When a Velero schedule last had to produce a backup, and how often it does.
 *
 * Velero parses `spec.schedule` with robfig/cron's standard parser: five
 * fields, or a descriptor (`@hourly`, `@daily`, `@weekly`, `@every 6h`…),
 * optionally prefixed by `CRON_TZ=<zone>`; the times are UTC otherwise.
 */
export type ScheduleCadence =
  | {
      /** The newest run whose backup must have finished by now. */
      dueAt: Date;
      /** The schedule's period around that run, in seconds. */
      intervalSeconds: number;
    }
  | { invalid: string };

// robfig/cron's descriptors, as five-field expressions (@every is separate).
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const GO_DURATION_UNITS: Record<string, number> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};

/** Go's time.ParseDuration for the units a schedule would use (h, m, s, ms). */
export function parseGoDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (!parts.length || parts.map(p => p[0]).join('') !== text) {
    return undefined;
  }
  return parts.reduce(
    (sum, [, n, unit]) => sum + Number(n) * GO_DURATION_UNITS[unit],
    0,
  );
}

/**
 * The cadence of `cron` as of `now`: `dueAt` is the newest run at least
 * `graceSeconds` ago (a run's backup is allowed that long to complete).
 * `@every D` runs D after the previous backup, so its due point is simply
 * D + grace before now.
 */
export function scheduleCadence(
  cron: string,
  now: Date,
  graceSeconds: number,
): ScheduleCadence {
  let expression = cron.trim();
  let tz = 'UTC';
  const zone = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(expression);
  if (zone) {
    [, tz, expression] = zone;
  }
  const every = /^@every\s+(\S+)$/.exec(expression);
  if (every) {
    const seconds = parseGoDuration(every[1]);
    if (!seconds) {
      return { invalid: `"${cron}": "${every[1]}" is not a duration` };
    }
    return {
      dueAt: new Date(now.getTime() - (seconds + graceSeconds) * 1000),
      intervalSeconds: seconds,
    };
  }
  expression = DESCRIPTORS[expression] ?? expression;
  if (expression.split(/\s+/).length !== 5) {
    return { invalid: `"${cron}" is not a five-field cron expression` };
  }
  try {
    const runs = CronExpressionParser.parse(expression, {
      currentDate: new Date(now.getTime() - graceSeconds * 1000),
      tz,
    });
    const dueAt = runs.prev().toDate();
    const before = runs.prev().toDate();
    return {
      dueAt,
      intervalSeconds: (dueAt.getTime() - before.getTime()) / 1000,
    };
  } catch (error) {
    return { invalid: `"${cron}": ${(error as Error).message}` };
  }
}
