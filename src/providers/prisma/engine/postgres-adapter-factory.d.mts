import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Pool } from 'pg';

/** A schema-engine adapter factory that can also release everything it opened. */
export interface ClosableAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Ends connections and removes temporary shadow databases left behind. */
  close(): Promise<void>;
}

/** Adapter factory for PostgreSQL: one connection, a real separate shadow database, whole-script execution. */
export declare function createPostgresAdapterFactory(target: {
  url?: string;
  pool?: Pool;
  shadowDatabaseUrl?: string;
}): Promise<ClosableAdapterFactory & { readonly database: string }>;
