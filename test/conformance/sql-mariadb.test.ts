// The conformance suite on OAuthSqlProvider over mariadb.
import { runCombination } from './support/run-combination.js';

await runCombination('sql', 'mariadb');
