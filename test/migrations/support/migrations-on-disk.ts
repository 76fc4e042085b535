/** The committed migrations, read from disk, to compare with what databases record. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const migrationsDir = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));

/** Every committed migration: folder name and SHA-256 of its migration.sql (Prisma's checksum). */
export async function committedMigrations(): Promise<Array<{ name: string; checksum: string }>> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash('sha256').update(await readFile(`${migrationsDir}/${name}/migration.sql`)).digest('hex'),
    })),
  );
}
