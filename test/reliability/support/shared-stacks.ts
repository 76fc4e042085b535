/**
 * One stack per provider/database combination per test file, opened on first use and closed after
 * the file, for tests that can share a server (they use fresh tokens, codes or clients). A
 * combination whose database server is absent here is registered as a skipped test with the
 * reason, never silently dropped.
 */
import type { ExecutionContext, TestFn } from 'ava';
import { resolveServer } from '../../support/databases.js';
import { openStack, SERVER_STACKS, stackName, type Stack, type StackOptions, type StackSpec } from './stacks.js';

export interface StackTestRegistrar {
  /** Registers `body` once per available combination, titled `<provider> on <database>: <title>`. */
  (title: string, body: (t: ExecutionContext, stack: Stack) => Promise<void>): void;
}

/** The combinations of {@link SERVER_STACKS} whose database server answers here, and why the others do not. */
async function availability(): Promise<Array<{ spec: StackSpec; skip?: string }>> {
  return Promise.all(
    SERVER_STACKS.map(async (spec) => {
      if (spec.backend === 'pglite') return { spec };
      const server = await resolveServer(spec.backend);
      return 'skip' in server ? { spec, skip: server.skip } : { spec };
    }),
  );
}

/** Sets up shared stacks for a test file; call at the top level of the file. */
export async function sharedStacks(test: TestFn, options: StackOptions = {}): Promise<StackTestRegistrar> {
  // ava starts running soon after the first declaration: declare nothing before the last await.
  const combinations = await availability();
  const opened = new Map<string, Promise<Stack>>();
  test.after.always(async () => {
    const stacks = await Promise.allSettled(opened.values());
    await Promise.all(stacks.map((stack) => (stack.status === 'fulfilled' ? stack.value.close() : undefined)));
  });
  const open = (spec: StackSpec): Promise<Stack> => {
    const name = stackName(spec);
    let stack = opened.get(name);
    if (!stack) {
      stack = openStack(spec, options).then((result) => {
        if ('skip' in result) throw new Error(`${name} became unavailable: ${result.skip}`);
        return result;
      });
      opened.set(name, stack);
    }
    return stack;
  };
  return (title, body) => {
    for (const { spec, skip } of combinations) {
      const name = `${stackName(spec)}: ${title}`;
      if (skip !== undefined) test.skip(`${name} (skipped: ${skip})`, () => {});
      else test(name, async (t) => body(t, await open(spec)));
    }
  };
}
