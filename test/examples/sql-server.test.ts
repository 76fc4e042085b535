/** `npm run start:sql`: the same example on OAuthSqlProvider, embedded default, from first run to shutdown. */
import test from 'ava';
import { exampleSmokeTests } from './support/example-smoke.js';

exampleSmokeTests(test, 'examples/sql-server.ts');
