// The conformance suite on OAuthPrismaProvider over postgres.
import { runCombination } from './support/run-combination.js';

await runCombination('prisma', 'postgres');
