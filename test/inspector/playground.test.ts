/**
 * The playground: built by scripts/build-playground.ts into static files, served by a plain static file
 * server (no WebSocket, no simulation on the Node side), opened in Chromium: the simulation runs in the
 * page's Web Worker.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../scripts/build-playground.ts';
import { launch, present, type Win } from './chromium.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.map': 'application/json',
};

describe.skipIf(!present)('the playground in Chromium, from a static server', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  const requests: string[] = [];
  let sockets = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vhost-sim-playground-'));
    await buildPlayground(dir);
    // A static host: files by name, nothing else.
    server = createServer((req, res) => {
      const name = (req.url ?? '/').split('?')[0].replace(/^\/$/, '/index.html');
      try {
        const body = readFileSync(join(dir, name.replace(/[^A-Za-z0-9_.-]/g, '')));
        res.writeHead(200, { 'Content-Type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const browser = await launch(1280, 900);
    close = browser.close;
    page = await browser.context.newPage();
    page.on('request', (r) => requests.push(new URL(r.url()).host));
    page.on('websocket', () => sockets++);
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const events = (model: string) =>
    page.waitForFunction(
      (m) => Number((globalThis as unknown as Win).document.querySelector(`#model-${m}`)?.dataset.events),
      model,
    );

  it('runs the simulation in the browser: the actors render and the clock advances', async () => {
    await page.goto(`${base}?vms=2`);
    await page.waitForSelector('[data-testid="core-per-cpu-0"]', { timeout: 60_000 });
    expect(await page.locator('#model-per-device .vq').count()).toBe(4);
    expect(await page.textContent('#scenario')).toMatch(/^2 VMs/);
    const e0 = Number(await (await events('per-cpu')).jsonValue());
    await page.waitForFunction(
      (n) =>
        Number((globalThis as unknown as Win).document.querySelector('#model-per-cpu')?.dataset.events) >
        n + 50,
      e0,
      { timeout: 60_000 },
    );
    await page.waitForFunction(
      () =>
        [...(globalThis as unknown as Win).document.querySelectorAll('#model-per-cpu .log div')].length > 0,
      undefined,
      { timeout: 60_000 },
    );
  }, 120_000);

  it("switches a model, steps it, and shows an actor's machine", async () => {
    await page.selectOption('#modelB', 'pmd');
    await page.waitForSelector('#model-pmd .worker[data-actor^="pmd"]', { timeout: 60_000 });
    expect(await page.locator('#model-per-cpu').count()).toBe(0);
    await page.waitForSelector('#runstate.paused', { timeout: 60_000 });
    await page.click('#step');
    await page.waitForFunction(
      () => {
        const d = (globalThis as unknown as Win).document;
        const ev = (m: string) => Number(d.querySelector(`#model-${m}`)?.dataset.events);
        return ev('per-device') + ev('pmd') === 1;
      },
      undefined,
      { timeout: 60_000 },
    );
    await page.click('[data-testid="core-pmd-3"]');
    await page.waitForSelector('#diagram g.state.current', { timeout: 60_000 });
  }, 120_000);

  it('names a bad query parameter on the page', async () => {
    await page.goto(`${base}?vms=100000`);
    await page.waitForFunction(
      () =>
        /^vms: expected an integer from 1 to 256/.test(
          (globalThis as unknown as Win).document.querySelector('#error')?.textContent ?? '',
        ),
      undefined,
      { timeout: 60_000 },
    );
  }, 120_000);

  it('needed nothing but the static files: no WebSocket, no other host', () => {
    expect(sockets).toBe(0);
    expect([...new Set(requests)]).toEqual([new URL(base).host]);
  });
});
