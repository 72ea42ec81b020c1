/**
 * The inspector's layout and model choice in Chromium: every model alone or beside another, the warm-up
 * skipped, and no overflow or clipping at 800, 1280 and 1920 px.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InspectorHandle, startInspector } from '../../src/inspector/server.ts';
import { modelNames } from '../../src/model/scenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { ARTIFACTS, launch, present, type Win } from './chromium.ts';

/** Elements that stick out of their panel, or whose content is wider than their box (clipped or scrolled). */
function overflowing(): string[] {
  type Box = { left: number; right: number; width: number };
  type Node = {
    getBoundingClientRect(): Box;
    scrollWidth: number;
    clientWidth: number;
    tagName: string;
    className: string;
    closest(s: string): unknown;
    querySelectorAll(s: string): Iterable<Node>;
  };
  const d = (globalThis as unknown as Win).document as unknown as {
    documentElement: Node;
    querySelectorAll(s: string): Iterable<Node>;
  };
  const bad: string[] = [];
  const root = d.documentElement;
  if (root.scrollWidth > root.clientWidth) bad.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
  for (const panel of d.querySelectorAll('header, section.model, aside')) {
    const p = panel.getBoundingClientRect();
    for (const el of panel.querySelectorAll('*')) {
      // The machine diagram is wider than its panel by design and scrolls inside its own box.
      if (el.closest('#diagram')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      const name = `${el.tagName.toLowerCase()}.${el.className}`;
      if (r.left < p.left - 0.5 || r.right > p.right + 0.5) bad.push(`${name} sticks out`);
      else if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) bad.push(`${name} clips`);
    }
  }
  return bad;
}

describe.skipIf(!present)('inspector layout and models in Chromium', () => {
  let inspector: InspectorHandle;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    inspector = await startInspector({
      scenario: resolveScenario({ vms: 4, warmupS: 0.002 }),
      models: ['per-device', 'per-cpu'],
      port: 0,
      paused: true,
    });
    const browser = await launch(1280, 900);
    close = browser.close;
    page = await browser.context.newPage();
    await page.goto(inspector.url);
    await page.waitForSelector('[data-testid="core-per-cpu-0"]', { timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await inspector?.close();
  });

  const nowNs = async (model: string) => Number(await page.getAttribute(`#model-${model}`, 'data-now-ns'));

  it('skips the warm-up: computes it and pauses at its end', async () => {
    await page.click('#warmup');
    await page.waitForSelector('#warmup', { state: 'hidden', timeout: 60_000 });
    await page.waitForSelector('#progress', { state: 'hidden', timeout: 60_000 });
    for (const m of ['per-device', 'per-cpu']) expect(await nowNs(m)).toBe(2_000_000);
    expect(await page.textContent('#runstate')).toBe('paused');
  }, 120_000);

  it('shows every model, alone and beside another', async () => {
    for (const m of modelNames) {
      await page.selectOption('#modelA', m);
      await page.selectOption('#modelB', '');
      // The new column replaces the old ones once its hello and first state have arrived.
      await page.waitForFunction(
        (model) => {
          const d = (globalThis as unknown as Win).document;
          return (
            [...d.querySelectorAll('section.model')].length === 1 &&
            [...d.querySelectorAll(`#model-${model} .worker`)].length > 1
          );
        },
        m,
        { timeout: 30_000 },
      );
      await page.click('#step');
      await page.waitForFunction(
        (model) =>
          Number((globalThis as unknown as Win).document.querySelector(`#model-${model}`)?.dataset.events) >
          0,
        m,
        { timeout: 30_000 },
      );
    }
    await page.selectOption('#modelA', 'pmd');
    await page.selectOption('#modelB', 'per-device');
    await page.waitForFunction(
      () =>
        [...(globalThis as unknown as Win).document.querySelectorAll('#model-per-device .core')].length > 0,
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.locator('section.model').count()).toBe(2);
    expect(await page.locator('#model-pmd .worker[data-actor^="pmd"]').count()).toBe(2);
  }, 180_000);

  it('fits at 800, 1280 and 1920 px: no overflow, nothing clipped, with one and two models', async () => {
    await page.selectOption('#modelA', 'per-device');
    await page.selectOption('#modelB', 'per-cpu');
    await page.waitForSelector('#model-per-cpu .core', { timeout: 30_000 });
    // A followed transaction's table is part of the layout too.
    await page.selectOption('#follow', '0');
    await page.fill('#stepUs', '1500');
    await page.click('#stepUsBtn');
    await page.waitForFunction(
      () =>
        Number((globalThis as unknown as Win).document.querySelector('#model-per-cpu')?.dataset.nowNs) >=
          1_500_000 &&
        (globalThis as unknown as Win).document.querySelector('#model-per-cpu [data-role="txnLast"]') !==
          null,
      undefined,
      {
        timeout: 60_000,
      },
    );
    await page.click('[data-testid="core-per-device-1"]');
    await page.waitForSelector('#currentState', { timeout: 30_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const width of [800, 1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate(overflowing), `${width} px, two models`).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `inspector-${width}.png`), fullPage: true });
    }
    await page.selectOption('#modelB', '');
    await page.waitForFunction(
      () => [...(globalThis as unknown as Win).document.querySelectorAll('section.model')].length === 1,
    );
    for (const width of [800, 1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate(overflowing), `${width} px, one model`).toEqual([]);
    }
  }, 180_000);
});
