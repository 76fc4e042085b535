/** Default bound on one storage call, in milliseconds. */
export const DEFAULT_STORAGE_TIMEOUT_MS = 10_000;
/** Largest accepted `storageTimeout`: ten minutes is already no bound for a login request. */
export const MAX_STORAGE_TIMEOUT_MS = 600_000;

/**
 * A storage call did not settle within the provider's `storageTimeout`. It reaches callers wrapped
 * in `StorageUnavailableError` (as its `cause`), so the request is answered 503
 * `temporarily_unavailable` like any other outage.
 */
export class StorageTimeoutError extends Error {
  override readonly name = 'StorageTimeoutError';
  constructor(
    /** The storage port method that timed out. */
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`storage call ${method} did not settle within ${timeoutMs} ms`);
  }
}

/** Whether `value` is an accepted `storageTimeout`: 0 (no bound) or 1 ms to ten minutes. */
export function isStorageTimeout(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_STORAGE_TIMEOUT_MS;
}

/**
 * Bounds one storage call by `timeoutMs` (0: no bound). A database that stops answering without
 * closing its connections (a network partition, a stalled server) would otherwise hold every
 * request until the operating system gives up on TCP, many minutes later; with the deadline the
 * caller gets an answer promptly and the OAuth endpoints say 503.
 *
 * The abandoned call is not cancelled: it goes on until the driver's own timeout ends it
 * (docs/reliability.md lists the driver settings). A write may therefore still commit after its
 * caller was told it failed; every write the port makes is one atomic statement or transaction, so
 * what lands is whole, and a token issued that way is one nobody received.
 */
export function withDeadline<T>(call: () => Promise<T>, method: string, timeoutMs: number): Promise<T> {
  if (timeoutMs === 0) return Promise.resolve().then(call);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageTimeoutError(method, timeoutMs)), timeoutMs);
    // A pending deadline must not keep a process alive that has nothing else to do.
    timer.unref();
  });
  const started = Promise.resolve().then(call);
  // The abandoned call may still fail later; that failure has no one left to tell.
  started.catch(() => undefined);
  return Promise.race([started, expired]).finally(() => clearTimeout(timer));
}
