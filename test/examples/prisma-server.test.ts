/** `npm start`: the Prisma example on its embedded default, from first run to shutdown. */
import test from 'ava';
import { exampleSmokeTests } from './support/example-smoke.js';

exampleSmokeTests(test, 'examples/prisma-server.ts');
