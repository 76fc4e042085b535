/**
 * The bound on password checks in flight (RFC 6585 §4): per source and per process, refusing at
 * once past either bound instead of queueing without end.
 */
import test from 'ava';
import { PasswordCheckBusyError, PasswordCheckGate } from '../../src/core/runtime/password-check-gate.js';

function deferred(): { promise: Promise<string>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<string>((resolve) => {
    release = () => resolve('done');
  });
  return { promise, release };
}

test('RFC 6585 §4 — one source may have perSource checks in flight; the next is refused at once', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 10, queue: 10, perSource: 2 });
  const a = deferred();
  const b = deferred();
  const first = gate.run('attacker', () => a.promise);
  const second = gate.run('attacker', () => b.promise);
  const third = await t.throwsAsync(gate.run('attacker', async () => 'never'), { instanceOf: PasswordCheckBusyError });
  t.is(third!.reason, 'source');
  t.is(await gate.run('victim', async () => 'ran'), 'ran', 'another source is not concerned');
  a.release();
  b.release();
  t.deepEqual(await Promise.all([first, second]), ['done', 'done']);
  t.is(await gate.run('attacker', async () => 'again'), 'again', 'slots are given back');
});

test('RFC 6585 §4 — past the running slots and the queue, a check is refused at once (503-class, reason server)', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 1, queue: 1, perSource: 10 });
  const running = deferred();
  const first = gate.run('a', () => running.promise);
  const queued = gate.run('b', async () => 'queued ran');
  const refused = await t.throwsAsync(gate.run('c', async () => 'never'), { instanceOf: PasswordCheckBusyError });
  t.is(refused!.reason, 'server');
  running.release();
  t.is(await first, 'done');
  t.is(await queued, 'queued ran');
});

test('queued checks run in arrival order, one per freed slot', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 1, queue: 5, perSource: 10 });
  const order: string[] = [];
  const running = deferred();
  const first = gate.run('a', async () => {
    await running.promise;
    order.push('a');
  });
  const rest = ['b', 'c', 'd'].map((name) => gate.run(name, async () => void order.push(name)));
  running.release();
  await Promise.all([first, ...rest]);
  t.deepEqual(order, ['a', 'b', 'c', 'd']);
});

test('a failing check gives its slot back', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 1, queue: 0, perSource: 1 });
  await t.throwsAsync(gate.run('a', async () => {
    throw new Error('boom');
  }), { message: 'boom' });
  t.is(await gate.run('a', async () => 'ok'), 'ok');
});

test('an unknown source is bounded by the process limits only', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 3, queue: 0, perSource: 1 });
  const held = [deferred(), deferred(), deferred()];
  const runs = held.map((d) => gate.run(null, () => d.promise));
  await t.throwsAsync(gate.run(null, async () => 'x'), { instanceOf: PasswordCheckBusyError });
  for (const d of held) d.release();
  await Promise.all(runs);
  t.pass();
});
