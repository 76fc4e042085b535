import test from 'ava';
import { formatUtcDatetime, parseUtcDatetime } from '../../src/providers/sql/adapters/mysql-datetime.js';
import { parseTimestamptz } from '../../src/providers/sql/adapters/postgres-values.js';

const iso = (date: Date) => date.toISOString();

test('parseTimestamptz applies the offset PostgreSQL printed, hours and minutes', (t) => {
  t.is(iso(parseTimestamptz('2024-02-29 23:59:59.999+00')), '2024-02-29T23:59:59.999Z');
  t.is(iso(parseTimestamptz('2024-02-29 20:29:59.999-03:30')), '2024-02-29T23:59:59.999Z');
  t.is(iso(parseTimestamptz('2024-03-01 12:44:59.999+12:45')), '2024-02-29T23:59:59.999Z');
});

test('parseTimestamptz applies offsets with seconds (historic zones)', (t) => {
  t.is(iso(parseTimestamptz('1900-01-01 00:53:28+00:53:28')), '1900-01-01T00:00:00.000Z');
});

test('parseTimestamptz reads fractions of any length to the millisecond', (t) => {
  t.is(iso(parseTimestamptz('2030-01-01 00:00:00.5+00')), '2030-01-01T00:00:00.500Z');
  t.is(iso(parseTimestamptz('2030-01-01 00:00:00+00')), '2030-01-01T00:00:00.000Z');
  t.is(iso(parseTimestamptz('2030-01-01 00:00:00.123456+00')), '2030-01-01T00:00:00.123Z');
});

test('parseTimestamptz keeps years below 100 and reads BC years', (t) => {
  t.is(parseTimestamptz('0042-06-01 00:00:00+00').getUTCFullYear(), 42);
  t.is(parseTimestamptz('0001-01-01 00:00:00+00 BC').getUTCFullYear(), 0);
});

test('parseTimestamptz refuses text it cannot read exactly', (t) => {
  for (const text of ['infinity', '-infinity', 'Thu Feb 29 23:59:59.999 2024 UTC', '2024-02-29 23:59:59']) {
    t.throws(() => parseTimestamptz(text), { instanceOf: RangeError }, text);
  }
});

test('a DATETIME written by formatUtcDatetime reads back as the same instant', (t) => {
  for (const text of ['2024-02-29T23:59:59.999Z', '1000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2030-03-31T01:00:00.001Z']) {
    const date = new Date(text);
    t.is(iso(parseUtcDatetime(formatUtcDatetime(date))), text);
  }
});

test('formatUtcDatetime writes UTC wall-clock time with milliseconds', (t) => {
  t.is(formatUtcDatetime(new Date('2030-03-31T01:00:00.120Z')), '2030-03-31 01:00:00.120');
});

test('formatUtcDatetime refuses an invalid Date', (t) => {
  t.throws(() => formatUtcDatetime(new Date(Number.NaN)), { instanceOf: RangeError });
});

test('parseUtcDatetime refuses text that is not a DATETIME', (t) => {
  t.throws(() => parseUtcDatetime('2030-03-31T01:00:00Z'), { instanceOf: RangeError });
});
