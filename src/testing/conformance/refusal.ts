/** The error `run` rejects with, or null when it resolves: for tests that inspect what was refused. */
export async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
    return null;
  } catch (error) {
    return error;
  }
}
