/**
 * `npm run bench:sign-in-flood`: how much a flood of sign-in posts from one address slows another
 * address's sign-in. The attacker (127.0.0.2) keeps 32 posts in flight, each a new username (so
 * each costs a full password hash), re-posting as soon as an answer comes back; the victim
 * (127.0.0.1) signs in with the right password, one after another. The attacker runs in a process
 * of its own (bench/sign-in-flood-attacker.ts), so that its loops do not slow the victim's client. Run twice: with the bound on
 * password checks in flight (the default) and without it (`passwordChecks: false`, as before it
 * existed). Prints medians and the ratio to the victim's sign-in on an idle server, measured in the
 * same run; nothing is asserted.
 *
 * Options: --samples N victim sign-ins per figure (default 15), --flood N posts in flight (default 32).
 * Environment: BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres), where a
 * scratch database is created for each run and dropped after.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, fetch } from 'undici';
import { createScratchDatabase } from './scratch-database.js';

const { values } = parseArgs({ options: { samples: { type: 'string' }, flood: { type: 'string' } } });
const SAMPLES = Number(values.samples ?? 15);
const FLOOD = Number(values.flood ?? 32);
const victimAgent = new Agent({ localAddress: '127.0.0.1' });
const attackerAgent = new Agent({ localAddress: '127.0.0.2' });

interface Form {
  url: string;
  cookie: string;
  fields: Array<[string, string]>;
}

async function openForm(agent: Agent, origin: string, clientId: string): Promise<Form> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: 'https://app.example/callback',
    scope: 'read',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
  const url = `${origin}/auth/authorize`;
  const response = await fetch(`${url}?${query}`, { dispatcher: agent });
  const html = await response.text();
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('oauth2kit-form='))?.split(';')[0] ?? '';
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, name, value]) => [name!, value!.replaceAll('&amp;', '&')] as [string, string]);
  return { url, cookie, fields };
}

async function post(agent: Agent, form: Form, username: string, password: string): Promise<number> {
  const response = await fetch(form.url, {
    method: 'POST',
    dispatcher: agent,
    redirect: 'manual',
    headers: { cookie: form.cookie },
    body: new URLSearchParams([...form.fields, ['username', username], ['password', password], ['decision', 'approve']]),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Median and maximum of the victim's sign-in times, in ms. */
async function victimSignIns(form: Form): Promise<{ median: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    const status = await post(victimAgent, form, 'alice', 'correct horse battery');
    if (status !== 303) throw new Error(`the victim's sign-in answered ${status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
}

async function run(gate: boolean) {
  const database = await createScratchDatabase('flood');
  const server = fork(fileURLToPath(new URL('./servers/sign-in-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production', FLOOD_GATE: gate ? 'on' : 'off', BENCH_DATABASE_URL: database.url },
  });
  const { port, clientId } = await new Promise<{ port: number; clientId: string }>((resolve) => server.once('message', resolve as never));
  const origin = `http://127.0.0.1:${port}`;
  try {
    const victimForm = await openForm(victimAgent, origin, clientId);
    const attackerForm = await openForm(attackerAgent, origin, clientId);
    await victimSignIns(victimForm); // warm-up
    const idle = await victimSignIns(victimForm);
    const attacker = fork(fileURLToPath(new URL('./sign-in-flood-attacker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    attacker.send({ ...attackerForm, flood: FLOOD });
    const answered = new Promise<Record<string, number>>((resolve) => attacker.once('message', resolve as never));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const flooded = await victimSignIns(victimForm);
    attacker.send('stop');
    const statuses = new Map(Object.entries(await answered).map(([status, count]) => [Number(status), count]));
    await new Promise((resolve) => attacker.once('exit', resolve));
    return { idle, flooded, statuses };
  } finally {
    server.kill();
    await new Promise((resolve) => server.once('exit', resolve));
    await database.drop();
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
console.log(`Victim sign-in (median of ${SAMPLES}, max) alone and during a ${FLOOD}-way flood of sign-in posts from another address`);
console.log('| password checks in flight | alone | during the flood | ratio | attacker answers |');
console.log('|---|---|---|---|---|');
for (const gate of [true, false]) {
  const { idle, flooded, statuses } = await run(gate);
  const answers = [...statuses].map(([status, count]) => `${count}× ${status}`).join(', ');
  console.log(
    `| ${gate ? 'bounded (default)' : 'unbounded (`passwordChecks: false`)'} | ${ms(idle.median)} (max ${ms(idle.max)}) | ${ms(flooded.median)} (max ${ms(flooded.max)}) | ${(flooded.median / idle.median).toFixed(2)}× | ${answers} |`,
  );
}
await victimAgent.close();
await attackerAgent.close();
