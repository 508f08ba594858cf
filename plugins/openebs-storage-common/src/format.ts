const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in at most two units, e.g. `42 s`, `4 min 30 s`, `2 h 5 min`,
 * `3 d 4 h`. Two units are enough to compare against the service levels
 * without a wall of digits.
 *
 * @public
 */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const units: Array<[number, string]> = [
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'min'],
    [1, 's'],
  ];
  const index = units.findIndex(([size]) => total >= size);
  if (index === -1) {
    return '0 s';
  }
  const [majorSize, majorUnit] = units[index];
  const major = Math.floor(total / majorSize);
  const parts = [`${major} ${majorUnit}`];
  const next = units[index + 1];
  if (next) {
    const minor = Math.floor((total - major * majorSize) / next[0]);
    if (minor > 0) {
      parts.push(`${minor} ${next[1]}`);
    }
  }
  return parts.join(' ');
}

/**
 * Bytes in binary units, as Kubernetes quantities are (`Gi`, `Mi`).
 *
 * @public
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // One decimal below 100 (e.g. 1.5 GiB), none above; never `2.0`.
  const rounded = value < 100 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded} ${units[unit]}`;
}
