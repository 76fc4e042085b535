// The conformance suite on OAuthSqlProvider over postgres.
import { runCombination } from './support/run-combination.js';

await runCombination('sql', 'postgres');
