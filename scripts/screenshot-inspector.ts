/**
 * Retakes the tutorial's inspector screenshot (docs/guide/inspector-4vms.png) from the current code, so the
 * picture and the numbers the tutorial reads off it never drift from what `vhost-sim inspect` shows:
 * 4 VMs, per-device beside per-CPU, paused, stepped 300 µs of virtual time from the start, core 1 of
 * per-device selected. The simulation is deterministic, so the same code gives the same picture.
 *
 *   npm run docs:screenshot        (needs Debian's /usr/bin/chromium)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startInspector } from '../src/inspector/server.ts';
import { resolveScenario } from '../src/scenario/resolve.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = new URL('../docs/guide/inspector-4vms.png', import.meta.url);
const STEP_US = 300;

if (!existsSync(CHROMIUM)) {
  console.error(`error: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  process.exit(2);
}

const inspector = await startInspector({
  scenario: resolveScenario({ vms: 4 }),
  models: ['per-device', 'per-cpu'],
  port: 0,
  paused: true,
});
const profile = mkdtempSync(join(tmpdir(), 'vhost-sim-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  headless: true,
  viewport: { width: 1920, height: 1375 },
});
try {
  const page = await context.newPage();
  await page.goto(inspector.url);
  await page.waitForSelector('[data-testid="core-per-device-1"]', { timeout: 60_000 });
  await page.fill('#stepUs', String(STEP_US));
  await page.click('#stepUsBtn');
  const target = String(STEP_US * 1000);
  await page.waitForFunction(
    (ns) => {
      // Runs in the page; the scripts are typed without lib.dom.
      const doc = (
        globalThis as unknown as {
          document: { querySelector(s: string): { getAttribute(a: string): string | null } | null };
        }
      ).document;
      return doc.querySelector('#model-per-device')?.getAttribute('data-now-ns') === ns;
    },
    target,
    { timeout: 120_000 },
  );
  await page.click('[data-testid="core-per-device-1"]');
  await page.waitForSelector('#diagram svg', { timeout: 30_000 });
  await page.screenshot({ path: OUT.pathname });
  console.log(`wrote ${OUT.pathname} (${STEP_US} µs in)`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await inspector.close();
}
