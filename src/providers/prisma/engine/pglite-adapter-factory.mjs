// A migration-aware driver adapter factory for an embedded PGlite instance.
// pglite-prisma-adapter's adapter is wrapped so that a failing migration script fails (see
// whole-script.mjs), and its shadow database (a fresh in-memory PGlite) is closed when released.
import { executeScriptsWhole } from './whole-script.mjs';

/** @param {import('@electric-sql/pglite').PGlite} pglite */
export async function createPGliteAdapterFactory(pglite) {
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const { PGlite } = await import('@electric-sql/pglite');

  const connectTo = async (/** @type {import('@electric-sql/pglite').PGlite} */ db, /** @type {() => Promise<void>} */ cleanup) => {
    const adapter = await new PrismaPGlite(db).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await cleanup();
    };
    return executeScriptsWhole(adapter, (script) => db.exec(script), (error) => /** @type {any} */ (adapter).onError(error));
  };

  /** @type {Set<import('@electric-sql/pglite').PGlite>} */
  const shadows = new Set();
  return {
    provider: /** @type {const} */ ('postgres'),
    adapterName: 'pglite-prisma-adapter',
    connect: () => connectTo(pglite, async () => {}),
    async connectToShadowDb() {
      const shadow = new PGlite();
      shadows.add(shadow);
      return connectTo(shadow, async () => {
        if (shadows.delete(shadow)) await shadow.close();
      });
    },
    /** Closes shadow instances the engine did not dispose of; the caller's instance stays open. */
    async close() {
      await Promise.allSettled([...shadows].map((shadow) => shadow.close()));
      shadows.clear();
    },
  };
}
