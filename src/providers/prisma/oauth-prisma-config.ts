import { relative, resolve } from 'node:path';
import { findNativeSchemaEngine, WASM_SCHEMA_ENGINE_BIN } from './engine/native-schema-engine.mjs';
import { engineDownloadUrl, probeEngineDownloadHost } from './engine-download-host.js';
import { oauthSchemaPath } from './oauth-schema-path.js';
import { datasourceProvider, oauthModelsFile, readSchemaFiles, sameModels, schemaFolderOf, shippedOAuthModels } from './schema-folder.js';
import { unmetEnginePackages } from './wasm-engine-packages.js';

/**
 * Which schema engine the Prisma CLI runs for `migrate` commands.
 *
 * - `'auto'` (default): Prisma's native engine when it is installed or can be downloaded; the same
 *   engine compiled to WebAssembly when neither (an air-gapped machine), on PostgreSQL only.
 * - `'native'`: leave the CLI alone.
 * - `'wasm'`: always the WebAssembly engine (PostgreSQL only).
 */
export type PrismaSchemaEngineChoice = 'auto' | 'native' | 'wasm';

/** Options of {@link withOAuthModels}. */
export interface OAuthPrismaConfigOptions {
  /** See {@link PrismaSchemaEngineChoice}. Default `'auto'`. */
  engine?: PrismaSchemaEngineChoice;
  /** The folder `schema` is relative to, and where packages are looked for. Default: the working directory, as for Prisma. */
  root?: string;
  /** Where the one-line notices go (the engine chosen, a stale copy of the models). Default: stderr. */
  notice?: (line: string) => void;
}

/** The part of a Prisma config this helper reads and changes. */
export interface PrismaConfigWithSchema {
  /** A schema file or a multi-file schema folder, relative to the config's folder. */
  schema?: string;
}

/** Why {@link withOAuthModels} refused a config; `code` is stable. */
export class OAuthPrismaConfigError extends Error {
  constructor(
    /** `oauth2kit_models_missing` or `oauth2kit_engine_packages_missing`. */
    readonly code: 'oauth2kit_models_missing' | 'oauth2kit_engine_packages_missing',
    message: string,
  ) {
    super(message);
    this.name = 'OAuthPrismaConfigError';
  }
}

/**
 * Makes an application's `prisma.config.ts` include oauth2-kit's models and work offline:
 *
 * ```ts
 * export default defineConfig(await withOAuthModels({ schema: 'prisma/schema.prisma', … }));
 * ```
 *
 * - `schema` becomes the schema's folder (Prisma reads every `.prisma` file of a folder, but only
 *   the one file when `schema` names a file), which must hold a copy of `oauth.prisma`: without one
 *   it throws (`oauth2kit_models_missing`) with the command to run; a copy that differs from the
 *   installed package's is named in a notice (copy it again, then create a migration).
 * - On PostgreSQL, when Prisma's native schema engine is neither installed nor downloadable (no
 *   connection to its download host, `PRISMA_ENGINES_MIRROR` or the HTTPS proxy, within 1.5 s), it
 *   points the CLI at the same engine compiled to WebAssembly (`PRISMA_SCHEMA_ENGINE_BINARY`), and
 *   says so in a notice. Its packages missing, it throws (`oauth2kit_engine_packages_missing`) with
 *   the `npm install` line. An engine the environment already names is kept.
 */
export async function withOAuthModels<Config extends PrismaConfigWithSchema>(
  config: Config,
  options: OAuthPrismaConfigOptions = {},
): Promise<Config & { schema: string }> {
  const root = resolve(options.root ?? process.cwd());
  const notice = options.notice ?? ((line: string) => process.stderr.write(`oauth2-kit: ${line}\n`));
  const folder = await schemaFolderOf(resolve(root, config.schema ?? 'prisma/schema.prisma'));
  const shown = relative(root, folder) || '.';
  const files = await readSchemaFiles(folder);

  const models = oauthModelsFile(files);
  if (models === undefined) {
    throw new OAuthPrismaConfigError(
      'oauth2kit_models_missing',
      `oauth2-kit's models are not in the Prisma schema folder ${shown}/: copy them there with \`cp node_modules/oauth2-kit/prisma/oauth.prisma ${shown}/\`, then \`npx prisma migrate dev --name add-oauth\``,
    );
  }
  if (!sameModels(models.text, await shippedOAuthModels())) {
    notice(
      `${relative(root, models.path)} differs from the oauth.prisma of the installed oauth2-kit: copy it again (\`cp ${relative(root, oauthSchemaPath)} ${shown}/\`) and create a migration (\`npx prisma migrate dev --name update-oauth\`)`,
    );
  }

  const engine = options.engine ?? 'auto';
  if (engine === 'wasm' || (engine === 'auto' && (await needsWasmEngine(root, datasourceProvider(files), notice)))) {
    const unmet = unmetEnginePackages();
    if (unmet.length > 0) {
      const named = unmet.map((state) => (state.installed === null ? state.name : `${state.name} (${state.installed} installed)`));
      throw new OAuthPrismaConfigError(
        'oauth2kit_engine_packages_missing',
        `the WebAssembly schema engine needs ${named.join(', ')} at the versions oauth2-kit is tested with: install them with \`npm install --save-dev ${unmet.map((state) => `${state.name}@${state.required}`).join(' ')}\``,
      );
    }
    process.env.PRISMA_SCHEMA_ENGINE_BINARY = WASM_SCHEMA_ENGINE_BIN;
  }
  return { ...config, schema: relative(root, folder) || '.' };
}

/** The `'auto'` decision; says why when the WebAssembly engine is chosen. */
async function needsWasmEngine(root: string, provider: string | undefined, notice: (line: string) => void): Promise<boolean> {
  // Set by the user, or a native engine on disk: the CLI has its engine.
  if (findNativeSchemaEngine(root) !== undefined) return false;
  // The WebAssembly build refuses every other database: let the CLI try its download and say why it fails.
  if (provider !== 'postgresql' && provider !== 'postgres') return false;
  const probe = await probeEngineDownloadHost();
  if (probe.reachable) return false;
  notice(
    `Prisma's native schema engine is not installed and ${engineDownloadUrl().host} cannot be reached (${probe.reason}): the Prisma CLI runs the same engine compiled to WebAssembly`,
  );
  return true;
}
