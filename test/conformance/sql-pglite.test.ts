// The conformance suite on OAuthSqlProvider over pglite.
import { runCombination } from './support/run-combination.js';

await runCombination('sql', 'pglite');
