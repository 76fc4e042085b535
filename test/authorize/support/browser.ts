/**
 * Headless Chromium for the browser tests: Debian's `chromium` package driven by playwright-core
 * (browser downloads are impossible here; `.ci/run` installs the package). When it is absent the
 * browser tests are skipped with the reason printed, never silently.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function browserUnavailableReason(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `${CHROMIUM_PATH} not found: install Debian's chromium package (\`apt-get install -y chromium\`, as .ci/run does)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** `test-results/<name>` at the repository root (gitignored), created on demand. */
export async function resultPath(name: string): Promise<string> {
  const directory = fileURLToPath(new URL('../../../test-results/', import.meta.url));
  await mkdir(directory, { recursive: true });
  return `${directory}${name}`;
}
