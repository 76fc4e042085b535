// Both driver adapters mishandle migration scripts:
// - @prisma/adapter-pg splits the script on ";" and sends each piece separately: a ";" inside a
//   string literal or a function body breaks the script, and a failure half-way leaves the statements
//   before it committed.
// - pglite-prisma-adapter does not await `exec`, so a failing script is reported as a success and the
//   migration is recorded as applied.
// The native engine sends the whole script as one simple-protocol query, which PostgreSQL runs as one
// implicit transaction (all or nothing). This restores that behaviour on an adapter instance.

/**
 * @template {{ executeScript(script: string): Promise<void> }} A
 * @param {A} adapter a connected driver adapter
 * @param {(script: string) => Promise<unknown>} run sends the whole script in one round trip
 * @param {(error: unknown) => never} toAdapterError converts a driver error the way the adapter does
 * @returns {A}
 */
export function executeScriptsWhole(adapter, run, toAdapterError) {
  adapter.executeScript = async (script) => {
    try {
      await run(script);
    } catch (error) {
      toAdapterError(error);
    }
  };
  return adapter;
}
