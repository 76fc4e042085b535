/**
 * What the outage tests share: the answer an outage must produce, and a way to wait for service to
 * come back that counts attempts instead of measuring time.
 */
import type { ExecutionContext } from 'ava';
import { createHash } from 'node:crypto';
import type { Answer } from './http.js';

/** The timeouts the outage stacks run with, small so that the tests stay short. */
export const OUTAGE_SETTINGS = {
  providerOptions: { storageTimeout: 2500 },
  driverTimeouts: { connectMs: 3000, statementMs: 6000 },
} as const;

/**
 * Runs at most `limit` of the calls given to it at once, the rest in order as slots free up: each
 * outage test holds a database, a pool and a proxy, and a small shared machine should not run them
 * all together.
 */
export function concurrencyLimit(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * Asserts the answer is RFC 6749 §5.2-shaped 503 `temporarily_unavailable`: JSON, a generic
 * description, nothing from the driver or a stack trace.
 */
export function assertUnavailable(t: ExecutionContext, answer: Answer, what: string): void {
  t.is(answer.status, 503, `${what}: status`);
  t.regex(answer.headers.get('content-type') ?? '', /^application\/json/, `${what}: JSON`);
  t.is(answer.json?.error, 'temporarily_unavailable', `${what}: error code`);
  t.is(typeof answer.json?.error_description, 'string', `${what}: description`);
  t.deepEqual(Object.keys(answer.json ?? {}).sort(), ['error', 'error_description'], `${what}: only the RFC fields`);
  t.notRegex(answer.text, /ECONN|SQLSTATE|SQLState|\bat .+:\d+:\d+|Prisma|pool/i, `${what}: no driver detail or stack`);
}

/**
 * Repeats `attempt` until it answers 200 or `maxAttempts` is spent, pausing briefly between tries
 * (pools need a moment to notice their connections died). Returns the answers in order.
 */
export async function untilOk(attempt: () => Promise<Answer>, maxAttempts = 100): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < maxAttempts; i += 1) {
    const answer = await attempt();
    answers.push(answer);
    if (answer.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return answers;
}

/** The hex SHA-256 a credential is stored as. */
export function digest(credential: string): string {
  return createHash('sha256').update(credential).digest('hex');
}
