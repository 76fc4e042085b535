/**
 * `oauthSchemaPath` names the shipped schema fragment by an absolute path, whatever the working
 * directory, so that applications can copy or link it from `node_modules`.
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { oauthSchemaPath } from '../../src/providers/prisma/index.js';
import { readRepoFile } from '../support/databases.js';

test('oauthSchemaPath is absolute and holds the shipped prisma/oauth.prisma fragment', async (t) => {
  t.true(isAbsolute(oauthSchemaPath));
  t.is(await readFile(oauthSchemaPath, 'utf8'), await readRepoFile('prisma/oauth.prisma'));
});
