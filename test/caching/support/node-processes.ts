/**
 * Server processes with in-process caches (cache-node.ts), started and driven from a test or the
 * bench: each is a real child process, so that a revocation made in one reaches another only
 * through the database and the cache-invalidation channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./cache-node.ts', import.meta.url));

/** A notice the node's `onError` heard. */
export interface Notice {
  code: string;
  message: string;
}

export interface CacheNode {
  call<T>(command: string, args?: Record<string, unknown>): Promise<T>;
  /** Every notice so far. */
  notices: Notice[];
  /** Resolves with the first notice of `code` (already heard or to come); rejects after `timeoutMs`. */
  notice(code: string, timeoutMs?: number): Promise<Notice>;
  stop(): Promise<void>;
}

/** Starts one node; resolves once its provider passed `check()` (its subscription attempt settled). */
export async function startCacheNode(env: Record<string, string>, name = 'node'): Promise<CacheNode> {
  const child: ChildProcess = fork(SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const notices: Notice[] = [];
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const noticeWaiters: Array<{ code: string; resolve(notice: Notice): void }> = [];
  let next = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.on('message', (raw) => {
      const message = raw as { ready?: true; id?: number; result?: unknown; error?: string; notice?: Notice };
      if (message.ready) resolve();
      if (message.notice !== undefined) {
        notices.push(message.notice);
        for (const waiter of noticeWaiters.filter((w) => w.code === message.notice!.code)) waiter.resolve(message.notice);
      }
      if (message.id !== undefined) {
        const pending = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error !== undefined) pending?.reject(new Error(`${name}: ${message.error}`));
        else pending?.resolve(message.result);
      }
    });
  });
  await ready;
  const call = <T>(command: string, args: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, command, args });
    });
  return {
    call,
    notices,
    notice(code, timeoutMs = 10_000) {
      const heard = notices.find((notice) => notice.code === code);
      if (heard !== undefined) return Promise.resolve(heard);
      return new Promise<Notice>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ${code} notice within ${timeoutMs} ms (heard: ${JSON.stringify(notices)})`)), timeoutMs);
        noticeWaiters.push({ code, resolve: (notice) => (clearTimeout(timer), resolve(notice)) });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await Promise.race([call('close'), new Promise((resolve) => setTimeout(resolve, 3000))]).catch(() => undefined);
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * Milliseconds from now until `node` first refuses `token`, polling as fast as it answers;
 * Infinity when it still accepts it after `limitMs`.
 */
export async function timeUntilRefused(node: CacheNode, token: string, limitMs: number, startedAt = performance.now()): Promise<number> {
  for (;;) {
    if (!(await node.call<boolean>('accepted', { token }))) return performance.now() - startedAt;
    if (performance.now() - startedAt > limitMs) return Infinity;
  }
}
