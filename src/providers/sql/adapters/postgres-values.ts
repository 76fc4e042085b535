/**
 * How the PostgreSQL adapters (`pg`, PGlite) turn column text into the values `SQLInterface`
 * promises, independently of any global type-parser customisation in the application (a common
 * one keeps timestamps as strings, which would otherwise reach the provider).
 */

/** Type OIDs of the columns the provider reads (`pg_type.oid`, stable across servers). */
const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  timestamptz: 1184,
} as const;

// ISO DateStyle output, the server default: `2024-02-29 23:59:59.999+00`, offsets may carry minutes
// and (for historic zones) seconds, years may exceed four digits, and BC dates have a suffix.
const TIMESTAMPTZ =
  /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?( BC)?$/;

/**
 * Parses a `timestamptz` in PostgreSQL's ISO output format into the instant it denotes.
 * Throws on anything else (another DateStyle, `infinity`) rather than guess.
 */
export function parseTimestamptz(text: string): Date {
  const m = TIMESTAMPTZ.exec(text);
  if (!m) throw new RangeError(`unsupported timestamptz text ${JSON.stringify(text)} (DateStyle must be ISO)`);
  const [, y, mo, d, h, mi, s, frac = '', sign, oh, om = '0', os = '0', bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const millis = Number(frac.padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), millis);
  const offsetSeconds = Number(oh) * 3600 + Number(om) * 60 + Number(os);
  return new Date(date.getTime() - (sign === '-' ? -1 : 1) * offsetSeconds * 1000);
}

function parseInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${text} is beyond Number precision`);
  return n;
}

/** The parser for a result column's type, or null to keep the text as it is. */
export function postgresTextParser(oid: number): ((text: string) => unknown) | null {
  switch (oid) {
    case OID.bool:
      return (text) => text === 't';
    case OID.int2:
    case OID.int4:
    case OID.int8:
      return parseInteger;
    case OID.timestamptz:
      return parseTimestamptz;
    default:
      return null;
  }
}

/** Parsers for PGlite's per-query `parsers` option, covering every type `postgresTextParser` handles. */
export const pgliteParsers: Record<number, (text: string) => unknown> = Object.fromEntries(
  Object.values(OID).map((oid) => [oid, postgresTextParser(oid) as (text: string) => unknown]),
);

/**
 * A parameter as the server should receive it: a `Date` as an ISO-8601 UTC string, which
 * `timestamptz` reads as that exact instant whatever the session time zone.
 */
export function postgresParam(value: unknown): unknown {
  // Arrays bind one value per row of a batch (`unnest`), each converted alike.
  if (Array.isArray(value)) return value.map(postgresParam);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('invalid Date parameter');
    return value.toISOString();
  }
  return value;
}
