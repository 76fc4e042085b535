/** When a value read again counts as unchanged: never when anything may differ. */
import test from 'ava';
import { sameRecord } from '../../src/core/runtime/same-record.js';

test('records with the same keys, primitives, instants and lists of primitives are the same', (t) => {
  t.true(sameRecord({ a: 1, b: 'x', c: null, d: new Date(5), e: ['r', 'w'] }, { a: 1, b: 'x', c: null, d: new Date(5), e: ['r', 'w'] }));
});

test('a differing primitive, instant, list or key makes records differ', (t) => {
  const base = { a: 1, d: new Date(5), e: ['r'] as string[], n: null as Date | null };
  t.false(sameRecord(base, { ...base, a: 2 }));
  t.false(sameRecord(base, { ...base, d: new Date(6) }));
  t.false(sameRecord(base, { ...base, e: ['r', 'w'] }));
  t.false(sameRecord(base, { ...base, e: ['w'] }));
  t.false(sameRecord(base, { ...base, n: new Date(0) }), 'null and an instant');
  t.false(sameRecord({ ...base, n: new Date(0) }, base), 'an instant and null');
  t.false(sameRecord(base, { ...base, extra: undefined }));
  t.false(sameRecord({ a: undefined }, { b: undefined }));
});

test('nested objects and arrays as records count as different, even when equal', (t) => {
  t.false(sameRecord({ o: { x: 1 } }, { o: { x: 1 } }));
  t.false(sameRecord([1], [1]));
  t.false(sameRecord({ e: [{ x: 1 }] }, { e: [{ x: 1 }] }));
});
