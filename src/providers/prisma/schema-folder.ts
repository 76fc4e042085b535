import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { oauthSchemaPath } from './oauth-schema-path.js';

/** A `.prisma` file of the application's schema folder, with its text. */
export interface SchemaFile {
  /** Absolute path. */
  path: string;
  text: string;
}

/**
 * The folder Prisma reads a multi-file schema from, for a config's `schema`: a folder as it is, a
 * file's own folder (Prisma reads every `.prisma` file of a folder, but only the one file when
 * `schema` names a file, which is why a copied `oauth.prisma` beside it would be ignored).
 */
export async function schemaFolderOf(schema: string): Promise<string> {
  const found = await stat(schema).catch(() => undefined);
  if (found === undefined) throw new Error(`the Prisma schema ${schema} does not exist`);
  return found.isDirectory() ? schema : join(schema, '..');
}

/** Every `.prisma` file under `folder` (Prisma's multi-file schema reads subfolders too), sorted. */
export async function readSchemaFiles(folder: string): Promise<SchemaFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.prisma'))
    .map((entry) => join(entry.parentPath, entry.name))
    // Migrations folders hold SQL only, but a node_modules inside the schema folder would not.
    .filter((path) => !relative(folder, path).split(/[\\/]/).includes('node_modules'))
    .sort();
  return Promise.all(paths.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
}

/** The table the shipped models map their client model to: the mark of a copy of `oauth.prisma`. */
const OAUTH_MODELS_MARK = /@@map\(\s*"oauth_clients"\s*\)/;

/** The schema file holding oauth2-kit's models, if any. */
export function oauthModelsFile(files: readonly SchemaFile[]): SchemaFile | undefined {
  return files.find((file) => OAUTH_MODELS_MARK.test(file.text));
}

/** The shipped `oauth.prisma`, as this installed version of the package has it. */
export function shippedOAuthModels(): Promise<string> {
  return readFile(oauthSchemaPath, 'utf8');
}

/** Whether a copy says the same as the shipped file (line endings aside). */
export function sameModels(copy: string, shipped: string): boolean {
  const normalise = (text: string) => text.replace(/\r\n/g, '\n').trimEnd();
  return normalise(copy) === normalise(shipped);
}

/** The `provider` of the schema's `datasource` block (`postgresql`, `mysql`, …), if one is declared. */
export function datasourceProvider(files: readonly SchemaFile[]): string | undefined {
  for (const file of files) {
    const text = file.text.replace(/\/\/.*$/gm, '');
    const block = /\bdatasource\s+\w+\s*\{([^}]*)\}/.exec(text);
    const provider = block === null ? null : /\bprovider\s*=\s*"([^"]+)"/.exec(block[1]!);
    if (provider) return provider[1];
  }
  return undefined;
}
