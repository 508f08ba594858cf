/** Seconds between two ISO timestamps, or undefined when either is missing. */
export function secondsBetween(
  start: string | undefined,
  end: string | undefined,
): number | undefined {
  if (!start || !end) return undefined;
  const seconds = (Date.parse(end) - Date.parse(start)) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}

export function hoursSince(time: string, now: Date): number {
  return (now.getTime() - Date.parse(time)) / 3_600_000;
}
