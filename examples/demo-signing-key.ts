import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { ConfigurationError } from './configuration-error.js';

/**
 * The operator key the demo's JWT signing keys are encrypted under at rest
 * (`signingKeys.encryptionKey`), and where it came from:
 *
 * - `OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY` (32 random bytes, base64url), the variable the CLI
 *   reads too (`keys list`, `keys rotate`): what a deployment does, the same key in every process
 *   on one database, from a secret store;
 * - on the embedded database without it, a key made on the first run and kept beside the data
 *   folder (`.data/pglite.signing-key`, readable by its owner only), so that a restart still reads
 *   the signing keys. It lies next to what it protects: a development convenience only. The CLI
 *   gets it as `OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY=$(cat .data/pglite.signing-key)`;
 * - on any other database without it, a key of this process alone: signing keys made with it
 *   cannot be read by the next start, which then stops naming the key it needs.
 */
export interface DemoSigningKey {
  encryptionKey: string;
  source: 'environment' | 'data_folder' | 'per_process';
}

const OPERATOR_KEY = /^[A-Za-z0-9_-]{43}$/;

/** `dataFolder`: the embedded database's folder, or undefined for another database. */
export function demoSigningKey(dataFolder: string | undefined, env: NodeJS.ProcessEnv = process.env): DemoSigningKey {
  const configured = env.OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY;
  if (configured !== undefined) {
    // The message never quotes the value.
    if (!OPERATOR_KEY.test(configured)) {
      throw new ConfigurationError(
        "OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY must be 32 random bytes, base64url without padding (43 characters), e.g. from: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"",
      );
    }
    return { encryptionKey: configured, source: 'environment' };
  }
  if (dataFolder === undefined) return { encryptionKey: randomBytes(32).toString('base64url'), source: 'per_process' };
  const file = `${dataFolder.replace(/[/\\]+$/, '')}.signing-key`;
  try {
    // `wx`: made once, never overwritten, so that a second start cannot replace the key in use.
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const kept = readFileSync(file, 'utf8').trim();
  if (!OPERATOR_KEY.test(kept)) throw new ConfigurationError(`${file} does not hold a signing-key encryption key (43 base64url characters); delete it only with the keys it sealed`);
  return { encryptionKey: kept, source: 'data_folder' };
}
