import type { MigrationList } from '@prisma/schema-engine-wasm';

/** Reads a migrations directory the way the Prisma CLI does. A missing directory is an empty history. */
export declare function readMigrationsDirectory(directory: string, shadowDbInitScript?: string): Promise<MigrationList>;
