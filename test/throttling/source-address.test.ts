/** How a source address becomes the key failures are counted under. */
import test from 'ava';
import { sourceKey } from '../../src/core/runtime/attempt-source.js';

test('an IPv4 address is its own source', (t) => {
  t.is(sourceKey('192.0.2.7'), '192.0.2.7');
});

test('an IPv4-mapped IPv6 address is the IPv4 address it maps', (t) => {
  t.is(sourceKey('::ffff:192.0.2.7'), '192.0.2.7');
  t.is(sourceKey('::FFFF:192.0.2.7'), '192.0.2.7');
});

test('an IPv6 address counts as its /64, whatever its spelling', (t) => {
  const expected = '2001:db8:0:1::/64';
  for (const address of ['2001:db8:0:1::1', '2001:0db8:0000:0001:ffff:ffff:ffff:ffff', '2001:DB8:0:1:a::b', 'fe80::1%eth0'.replace('fe80::1%eth0', '2001:db8:0:1::1%eth0')]) {
    t.is(sourceKey(address), expected, address);
  }
  t.is(sourceKey('::1'), '0:0:0:0::/64');
});
