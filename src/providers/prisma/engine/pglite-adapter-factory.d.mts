import type { PGlite } from '@electric-sql/pglite';
import type { ClosableAdapterFactory } from './postgres-adapter-factory.mjs';

/** Adapter factory for an embedded PGlite instance (failing scripts fail; in-memory shadow). */
export declare function createPGliteAdapterFactory(pglite: PGlite): Promise<ClosableAdapterFactory>;
