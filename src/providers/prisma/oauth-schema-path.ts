import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the shipped Prisma schema fragment (`prisma/oauth.prisma` in the package) that
 * defines the OAuth models. Copy or link it into your schema folder, beside the file holding your
 * `datasource` and `generator`.
 *
 * Resolved from this module's own location, so it points into `node_modules/oauth2-kit` once installed;
 * `src/providers/prisma/` and `dist/providers/prisma/` sit at the same depth under the package root.
 */
export const oauthSchemaPath: string = fileURLToPath(new URL('../../../prisma/oauth.prisma', import.meta.url));
