/**
 * Debian's Chromium driven by playwright-core for the inspector's browser tests (never a downloaded
 * browser). Without /usr/bin/chromium the tests fail under CI=true (.ci/run installs it) and are skipped
 * elsewhere.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ARTIFACTS = fileURLToPath(new URL('../../results/inspector/', import.meta.url));
export const present = existsSync(CHROMIUM);
export const inCi = process.env.CI === 'true';

/** The bit of the browser's DOM the page functions use (the tests are typed without lib.dom). */
export type El = {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  hidden: boolean;
  classList: { contains(c: string): boolean };
};
export type Win = {
  document: { querySelector(s: string): El | null; querySelectorAll(s: string): Iterable<El> };
};

/** A fresh Chromium profile; `close` removes it. */
export async function launch(
  width: number,
  height: number,
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profileDir = mkdtempSync(join(tmpdir(), 'vhost-sim-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width, height },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
