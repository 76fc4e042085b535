// The conformance suite on OAuthPrismaProvider over pglite.
import { runCombination } from './support/run-combination.js';

await runCombination('prisma', 'pglite');
