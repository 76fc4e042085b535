/**
 * `OAuthPrismaClient` is loose enough that the generated client needs no cast and strict enough
 * that a client without our models does not compile. Proven by compiling a fixture with the
 * project's compiler settings: its `@ts-expect-error` lines fail the compile if a refusal ever
 * stops being one.
 */
import test from 'ava';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const tsconfigPath = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
const fixturePath = fileURLToPath(new URL('./fixtures/generated-client-fits.ts', import.meta.url));

function diagnosticsOf(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('tsconfig.json could not be read');
  const program = ts.createProgram([file], { ...config.options, noEmit: true });
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`${file} is not in the program`);
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
}

test('the generated Prisma client is an OAuthPrismaClient without a cast, and a client lacking our models is not', (t) => {
  t.deepEqual(diagnosticsOf(fixturePath), []);
});
