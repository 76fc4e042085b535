/**
 * prisma/oauth.prisma works as a fragment of an application's own multi-file schema: beside the
 * application's datasource, generator and models, it validates and generates.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { repoRoot, runPrisma } from './support/prisma-cli.js';
import { applicationConfig } from './support/temp-project.js';

const APPLICATION_SCHEMA = `generator client {
  provider = "prisma-client"
  output   = "../generated"
}

datasource db {
  provider = "postgresql"
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId String @map("author_id") @db.VarChar(128)
}
`;

async function withApplicationSchema<T>(body: (projectDir: string) => Promise<T>): Promise<T> {
  const projectDir = await mkdtemp(path.join(tmpdir(), 'oauth2kit-fragment-'));
  try {
    // The application's dependencies (prisma among them) are this repository's.
    await symlink(path.join(repoRoot, 'node_modules'), path.join(projectDir, 'node_modules'), 'dir');
    await writeFile(path.join(projectDir, 'prisma.config.ts'), applicationConfig('schema'));
    await mkdir(path.join(projectDir, 'schema'));
    await writeFile(path.join(projectDir, 'schema', 'schema.prisma'), APPLICATION_SCHEMA);
    await copyFile(path.join(repoRoot, 'prisma', 'oauth.prisma'), path.join(projectDir, 'schema', 'oauth.prisma'));
    return await body(projectDir);
  } finally {
    await rm(projectDir, { recursive: true, force: true });
  }
}

test('the OAuth models validate inside an application\'s multi-file schema', async (t) => {
  await withApplicationSchema(async (projectDir) => {
    const validate = await runPrisma(['validate'], { cwd: projectDir });
    t.is(validate.code, 0, validate.output);
    t.regex(validate.output, /valid/);
  });
});

test('a client generated from an application\'s schema plus the fragment has the OAuth models and the app\'s own', async (t) => {
  await withApplicationSchema(async (projectDir) => {
    const generate = await runPrisma(['generate'], { cwd: projectDir });
    t.is(generate.code, 0, generate.output);
    const models = await readdir(path.join(projectDir, 'generated', 'models'));
    t.true(models.includes('Post.ts'), models.join(', '));
    t.true(models.includes('OAuthClient.ts'), models.join(', '));
    t.true(models.includes('OAuthToken.ts'), models.join(', '));
  });
});
