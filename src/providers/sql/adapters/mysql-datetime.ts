/**
 * `DATETIME(3)` has no time zone, so its meaning is whatever writer and reader agree on. The MySQL
 * adapters agree on UTC: they write a `Date` as its UTC wall-clock time and read every DATETIME
 * back as UTC, without going through the driver's or the server's time-zone settings.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2024-02-29 23:59:59.999` for that instant in UTC. */
export function formatUtcDatetime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date parameter');
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    pad(date.getUTCMilliseconds(), 3)
  );
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** The instant a DATETIME string written by {@link formatUtcDatetime} stands for. */
export function parseUtcDatetime(text: string): Date {
  const m = DATETIME.exec(text);
  if (!m) throw new RangeError(`unsupported DATETIME text ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac = ''] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  return date;
}
