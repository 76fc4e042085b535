/** The version check the CLI applies to our peer-dependency ranges: node-semver's rules for the forms we use. */
import test from 'ava';
import { parsePeerRange, satisfiesPeerRange } from '../../src/providers/peer-range.js';

const ENGINE = '7.10.0-7.561d7b42579a2459cc8edf3788918b626c640023';

test('an exact range admits that version only, prerelease identifiers included', (t) => {
  t.true(satisfiesPeerRange(ENGINE, ENGINE));
  t.true(satisfiesPeerRange(`${ENGINE}+build.1`, ENGINE), 'build metadata is ignored');
  t.false(satisfiesPeerRange('7.10.0-7.0000000000000000000000000000000000000000', ENGINE));
  t.false(satisfiesPeerRange('7.10.0', ENGINE));
  t.false(satisfiesPeerRange('7.10.1', ENGINE));
});

test('a caret range admits later minor and patch releases of the same major, from its lower bound', (t) => {
  t.true(satisfiesPeerRange('8.23.1', '^8.23.1'));
  t.true(satisfiesPeerRange('8.23.9', '^8.23.1'));
  t.true(satisfiesPeerRange('8.40.0', '^8.23.1'));
  t.false(satisfiesPeerRange('8.23.0', '^8.23.1'));
  t.false(satisfiesPeerRange('8.9.9', '^8.23.1'));
  t.false(satisfiesPeerRange('9.0.0', '^8.23.1'));
  t.false(satisfiesPeerRange('7.99.99', '^8.23.1'));
});

test('a caret range on 0.x admits patch releases of that minor only, and on 0.0.x that patch only', (t) => {
  t.true(satisfiesPeerRange('0.4.3', '^0.4.3'));
  t.true(satisfiesPeerRange('0.4.12', '^0.4.3'));
  t.false(satisfiesPeerRange('0.5.0', '^0.4.3'));
  t.false(satisfiesPeerRange('0.4.2', '^0.4.3'));
  t.false(satisfiesPeerRange('1.4.3', '^0.4.3'));
  t.true(satisfiesPeerRange('0.0.3', '^0.0.3'));
  t.false(satisfiesPeerRange('0.0.4', '^0.0.3'));
});

test('a caret range admits no prerelease, as npm checks peers', (t) => {
  t.false(satisfiesPeerRange('7.11.0-dev.3', '^7.10.1'));
  t.false(satisfiesPeerRange('8.0.0-rc.1', '^7.10.1'));
});

test('an installed version that is not a version satisfies nothing', (t) => {
  t.false(satisfiesPeerRange('latest', '^8.23.1'));
  t.false(satisfiesPeerRange('', ENGINE));
});

test('a range of another form is refused loudly, never taken as satisfied', (t) => {
  for (const range of ['>=8', '~8.23.1', '8.x', '^8.0.0 || ^9.0.0', '*', '^8.0.0-rc.1']) {
    t.throws(() => parsePeerRange(range), { message: /unsupported peer dependency range/ }, range);
  }
});
