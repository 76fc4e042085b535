/**
 * The bound on password checks in flight (RFC 6585 §4): per source and per process, a short queue
 * served fairly, and a refusal at once past the bounds instead of a queue without end.
 */
import test from 'ava';
import { PasswordCheckBusyError, PasswordCheckGate, resolvePasswordCheckLimits } from '../../src/core/runtime/password-check-gate.js';

function deferred(): { promise: Promise<string>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<string>((resolve) => {
    release = () => resolve('done');
  });
  return { promise, release };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('one source never holds every slot: while it runs its share, another source starts at once', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 2, queue: 8, perSource: 1, perSourceQueue: 4 });
  const held = deferred();
  const attacker = gate.run('attacker', () => held.promise);
  const queued = gate.run('attacker', async () => 'attacker again');
  t.is(await gate.run('victim', async () => 'victim ran'), 'victim ran', 'the free slot is not given to the attacker queued before');
  held.release();
  t.deepEqual(await Promise.all([attacker, queued]), ['done', 'attacker again']);
});

test('RFC 6585 §4 — past its running share and its own queue, a source is refused at once', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 4, queue: 100, perSource: 1, perSourceQueue: 2 });
  const held = deferred();
  const running = gate.run('attacker', () => held.promise);
  const waiting = [gate.run('attacker', async () => 'w1'), gate.run('attacker', async () => 'w2')];
  const refused = await t.throwsAsync(gate.run('attacker', async () => 'never'), { instanceOf: PasswordCheckBusyError });
  t.is(refused!.reason, 'source');
  t.throws(() => gate.assertRoom('attacker'), { instanceOf: PasswordCheckBusyError });
  t.notThrows(() => gate.assertRoom('victim'));
  held.release();
  t.deepEqual(await Promise.all([running, ...waiting]), ['done', 'w1', 'w2']);
  t.is(await gate.run('attacker', async () => 'again'), 'again', 'slots and places are given back');
});

test('two people behind one address wait for each other instead of being refused', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 2, queue: 8, perSource: 1, perSourceQueue: 4 });
  const first = deferred();
  const a = gate.run('office', () => first.promise);
  let secondStarted = false;
  const b = gate.run('office', async () => {
    secondStarted = true;
    return 'second';
  });
  await flush();
  t.false(secondStarted, 'the second waits for the first');
  first.release();
  t.deepEqual(await Promise.all([a, b]), ['done', 'second']);
});

test('RFC 6585 §4 — past the running slots and the process queue, a check is refused at once (reason server, 503)', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 1, queue: 1, perSource: 1, perSourceQueue: 10 });
  const running = deferred();
  const first = gate.run('a', () => running.promise);
  const queued = gate.run('b', async () => 'queued ran');
  const refused = await t.throwsAsync(gate.run('c', async () => 'never'), { instanceOf: PasswordCheckBusyError });
  t.is(refused!.reason, 'server');
  running.release();
  t.is(await first, 'done');
  t.is(await queued, 'queued ran');
});

test('waiting checks start in arrival order, one per freed slot', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 1, queue: 5, perSource: 1, perSourceQueue: 5 });
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
  const gate = new PasswordCheckGate({ concurrency: 1, queue: 0, perSource: 1, perSourceQueue: 0 });
  await t.throwsAsync(gate.run('a', async () => {
    throw new Error('boom');
  }), { message: 'boom' });
  t.is(await gate.run('a', async () => 'ok'), 'ok');
});

test('an unknown source is bounded by the process limits only', async (t) => {
  const gate = new PasswordCheckGate({ concurrency: 3, queue: 0, perSource: 1, perSourceQueue: 0 });
  const held = [deferred(), deferred(), deferred()];
  const runs = held.map((d) => gate.run(null, () => d.promise));
  await t.throwsAsync(gate.run(null, async () => 'x'), { instanceOf: PasswordCheckBusyError });
  for (const d of held) d.release();
  t.deepEqual(await Promise.all(runs), ['done', 'done', 'done']);
});

test('the defaults: as many slots as cores (at least 2), half of them per source, four waiting per source', (t) => {
  const limits = resolvePasswordCheckLimits({ concurrency: 8 });
  t.deepEqual(limits, { concurrency: 8, queue: 32, perSource: 4, perSourceQueue: 4 });
  t.deepEqual(resolvePasswordCheckLimits({ concurrency: 2 }), { concurrency: 2, queue: 8, perSource: 1, perSourceQueue: 4 });
});
