/** The inspector page in a real browser (see chromium.ts). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type InspectorHandle, startInspector } from '../../src/inspector/server.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { ARTIFACTS, CHROMIUM, type El, inCi, launch, present, type Win } from './chromium.ts';

describe.runIf(!present && inCi)('inspector in Chromium (CI)', () => {
  it('needs Debian Chromium at /usr/bin/chromium', () => {
    expect.fail(`${CHROMIUM} is missing: .ci/run installs it with apt-get install chromium`);
  });
});

describe.skipIf(!present)('inspector in Chromium', () => {
  let inspector: InspectorHandle;
  let context: BrowserContext;
  let page: Page;
  let closeBrowser: () => Promise<void>;
  const requestHosts: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    inspector = await startInspector({
      scenario: resolveScenario({ vms: 4 }),
      models: ['per-device', 'per-cpu'],
      port: 0,
      speed: 0.002,
    });
    ({ context, close: closeBrowser } = await launch(1600, 1000));
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => requestHosts.push(new URL(r.url()).host));
    page.on('websocket', (ws) => requestHosts.push(new URL(ws.url()).host));
  }, 60_000);

  afterAll(async () => {
    await closeBrowser?.();
    await inspector?.close();
  });

  const events = async (model: string) => Number(await page.getAttribute(`#model-${model}`, 'data-events'));
  const nowNs = async (model: string) => Number(await page.getAttribute(`#model-${model}`, 'data-now-ns'));

  it('loads the page and sees cores and actors update', async () => {
    await page.goto(inspector.url);
    for (const model of ['per-device', 'per-cpu']) {
      await page.waitForSelector(`[data-testid="core-${model}-0"]`);
      expect(await page.locator(`#model-${model} .core`).count()).toBe(8);
      expect(await page.locator(`#model-${model} .vq`).count()).toBe(8);
    }
    expect(await page.locator('#model-per-cpu .worker[data-actor^="vhost-cpu"]').count()).toBe(8);
    expect(await page.locator('#model-per-device .worker[data-actor^="vhost-vm"]').count()).toBe(4);
    const e0 = await events('per-cpu');
    const t0 = await nowNs('per-cpu');
    // Both counters move on: more events fired, later virtual time.
    await page.waitForFunction(
      ([n, t]) => {
        const sec = (globalThis as unknown as Win).document.querySelector('#model-per-cpu');
        return Number(sec?.dataset.events) > n + 100 && Number(sec?.dataset.nowNs) > t;
      },
      [e0, t0],
      { timeout: 30_000 },
    );
    // Some core ran a thread and the log shows messages between actors.
    await page.waitForFunction(() =>
      [...(globalThis as unknown as Win).document.querySelectorAll('.core .thr')].some((e) =>
        /vcpu|vhost/.test(e.textContent ?? ''),
      ),
    );
    expect(await page.locator('#model-per-cpu .log div').count()).toBeGreaterThan(0);
    // Each core shows its busy share over the cards' window, and some core has been busy.
    await page.waitForFunction(() =>
      [...(globalThis as unknown as Win).document.querySelectorAll('#model-per-cpu .core .busy')].some(
        (e) => Number(e.dataset.busy) > 0,
      ),
    );
    const shares = await page
      .locator('#model-per-device .core .busy')
      .evaluateAll((els) => els.map((e) => Number((e as unknown as El).dataset.busy)));
    expect(shares).toHaveLength(8);
    for (const b of shares) expect(b >= 0 && b <= 1).toBe(true);
  });

  it('draws a timeline strip per core, coloured per VM, with a legend of the VMs it shows', async () => {
    for (const model of ['per-device', 'per-cpu']) {
      expect(await page.locator(`#model-${model} .strip .row`).count()).toBe(8);
      await page.waitForSelector(`#model-${model} .strip .seg[data-state="running"][data-vm="0"]`, {
        timeout: 30_000,
      });
      const vms = await page
        .locator(`#model-${model} .strip .seg`)
        .evaluateAll((els) => [...new Set(els.map((e) => Number((e as unknown as El).dataset.vm)))]);
      const legend = await page
        .locator(`#model-${model} [data-legend-vm]`)
        .evaluateAll((els) => els.map((e) => Number((e as unknown as El).dataset.legendVm)));
      expect(legend).toEqual(vms.filter((v) => v >= 0).sort((a, b) => a - b));
    }
    // A wider window shows at least as much.
    const before = await page.locator('#model-per-cpu .strip .seg').count();
    await page.selectOption('#model-per-cpu [data-role="stripWin"]', '1000');
    await page.waitForFunction(
      (n) =>
        [...(globalThis as unknown as Win).document.querySelectorAll('#model-per-cpu .strip .seg')].length >
        n,
      before,
      { timeout: 30_000 },
    );
    await page.selectOption('#model-per-cpu [data-role="stripWin"]', '200');
  }, 120_000);

  it('shows the achieved rate beside the chosen speed, and says when it falls behind', async () => {
    // The chosen 2 ms/s is within reach: the achieved rate appears and is not flagged.
    await page.waitForFunction(
      () => Number((globalThis as unknown as Win).document.querySelector('#achieved')?.dataset.achieved) > 0,
      undefined,
      { timeout: 30_000 },
    );
    // 100 ms/s of virtual time for 8 XState systems' worth of actors is beyond this machine: flagged.
    await page.selectOption('#speed', '0.1');
    // Class and text are read in one page evaluation: a later frame (the measurement restarting) may clear both.
    const flagged = await page.waitForFunction(
      () => {
        const el = (globalThis as unknown as Win).document.querySelector('#achieved');
        return el?.classList.contains('behind') ? el.textContent : null;
      },
      undefined,
      { timeout: 30_000 },
    );
    expect(await flagged.jsonValue()).toMatch(/achieved .* (ms|µs)\/s \(falling behind/);
    await page.selectOption('#speed', '0.002');
  }, 120_000);

  it('pauses, then "Step 1 event" fires the next event across both models: one clock', async () => {
    await page.click('#pause');
    // Messages arrive in order: once the page shows "paused", no older state can follow.
    await page.waitForSelector('#runstate.paused');
    const total = async () => (await events('per-device')) + (await events('per-cpu'));
    const before = await total();
    await page.waitForTimeout(400);
    expect(await total()).toBe(before); // paused: nothing moves

    let clock = Math.max(await nowNs('per-device'), await nowNs('per-cpu'));
    for (let i = 1; i <= 5; i++) {
      await page.click('#step');
      await page.waitForFunction((n) => {
        const d = (globalThis as unknown as Win).document;
        const ev = (m: string) => Number(d.querySelector(`#model-${m}`)?.dataset.events);
        return ev('per-device') + ev('per-cpu') === n;
      }, before + i);
      // The model that fired the event now reads its time, at or after both clocks before the step.
      const t = [await nowNs('per-device'), await nowNs('per-cpu')];
      expect(Math.max(...t)).toBeGreaterThanOrEqual(clock);
      clock = Math.max(...t);
    }
    // Both clocks are in the header.
    expect(await page.textContent('#vtime')).toMatch(/per-device t = .* · per-cpu t = /);
  }, 120_000);

  it("shows a long step's progress and cancels it", async () => {
    await page.fill('#stepUs', '1000000');
    await page.click('#stepUsBtn');
    await page.waitForFunction(
      () => {
        const p = (globalThis as unknown as Win).document.querySelector('#progress');
        return Number(p?.dataset.fraction) > 0 && !(p as unknown as { hidden: boolean }).hidden;
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.click('#cancel');
    await page.waitForSelector('#progress', { state: 'hidden', timeout: 30_000 });
    expect(await nowNs('per-cpu')).toBeLessThan(1e9);
    await page.fill('#stepUs', '100');
  }, 120_000);

  it('keyboard: space pauses and resumes, → fires one event', async () => {
    await page.waitForSelector('#runstate.paused');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press(' ');
    await page.waitForSelector('#runstate.running', { timeout: 30_000 });
    await page.keyboard.press(' ');
    await page.waitForSelector('#runstate.paused', { timeout: 30_000 });
    const total = async () => (await events('per-device')) + (await events('per-cpu'));
    const before = await total();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      (n) => {
        const d = (globalThis as unknown as Win).document;
        const ev = (m: string) => Number(d.querySelector(`#model-${m}`)?.dataset.events);
        return ev('per-device') + ev('per-cpu') === n;
      },
      before + 1,
      { timeout: 30_000 },
    );
  }, 120_000);

  it('filters the log by sender, receiver, event or payload', async () => {
    // Paused by the tests before: run a little so the log fills, then pause again.
    await page.fill('#stepUs', '200');
    await page.click('#stepUsBtn');
    await page.waitForSelector('#progress', { state: 'hidden', timeout: 60_000 });
    await page.fill('#model-per-cpu [data-role="logFilter"]', 'nic, irq.inject');
    const shown = async () =>
      page.locator('#model-per-cpu .log > div:not([hidden])').evaluateAll((els) =>
        els.map((e) => {
          const d = (e as unknown as El).dataset;
          return `${d.actor} ${d.from} ${d.event} ${d.payload}`;
        }),
      );
    const lines = await shown();
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/nic|irq\.inject/);
    expect(await page.locator('#model-per-cpu .log > div[hidden]').count()).toBeGreaterThan(0);
    // Each line names its sender and carries the payload: a filter on a packet's text finds its hops.
    await page.fill('#model-per-cpu [data-role="logFilter"]', 'nic.tx');
    const tx = await page
      .locator('#model-per-cpu .log > div:not([hidden])')
      .evaluateAll((els) => els.map((e) => ({ ...(e as unknown as El).dataset })));
    expect(tx.length).toBeGreaterThan(0);
    for (const l of tx) {
      expect(l.from).toMatch(/^vhost-/);
      expect(l.payload).toMatch(/^pkt#\d+ vm\d+→peer /);
    }
    await page.fill('#model-per-cpu [data-role="logFilter"]', '');
    expect(await page.locator('#model-per-cpu .log > div[hidden]').count()).toBe(0);
  }, 120_000);

  it('steps back: ← replays each model from its seed to one event earlier', async () => {
    await page.waitForSelector('#runstate.paused');
    // Counts read in one evaluation: both sections of one frame.
    const counts = async () =>
      page.evaluate(() => {
        const d = (globalThis as unknown as Win).document;
        return ['per-device', 'per-cpu'].map((m) => Number(d.querySelector(`#model-${m}`)?.dataset.events));
      });
    const before = await counts();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      (want) => {
        const d = (globalThis as unknown as Win).document;
        const got = ['per-device', 'per-cpu'].map((m) =>
          Number(d.querySelector(`#model-${m}`)?.dataset.events),
        );
        return d.querySelector('#progress')?.hidden === true && got[0] === want[0] && got[1] === want[1];
      },
      before.map((n) => n - 1),
      { timeout: 60_000 },
    );
  }, 120_000);

  it('follows a transaction of a VM: its stages from the simulation, and its path across the actors', async () => {
    await page.waitForSelector('#runstate.paused');
    await page.selectOption('#follow', '1');
    await page.fill('#stepUs', '3000');
    await page.click('#stepUsBtn');
    // Everything read in one evaluation, of one frame: the last completed transaction and the highlight.
    const got = await page.waitForFunction(
      () => {
        const d = (globalThis as unknown as Win).document;
        const out: Record<string, unknown> = {};
        for (const m of ['per-device', 'per-cpu']) {
          const table = d.querySelector(`#model-${m} [data-role="txnLast"] table`);
          if (table === null || !(d.querySelector('#progress') as El).hidden) return null;
          const rows = [...d.querySelectorAll(`#model-${m} [data-role="txnLast"] tr`)].map((r) => ({
            stage: r.dataset.stage,
            ns: Number(r.dataset.ns),
            actor: r.dataset.actorKey,
          }));
          const onpath = [...d.querySelectorAll(`#model-${m} .onpath`)].map((e) => e.dataset.actor);
          out[m] = { total: Number(table.dataset.totalNs), rows, onpath };
        }
        return out;
      },
      undefined,
      { timeout: 90_000 },
    );
    type Seen = { total: number; rows: { stage: string; ns: number; actor: string }[]; onpath: string[] };
    const seen = (await got.jsonValue()) as Record<string, Seen>;
    for (const m of ['per-device', 'per-cpu']) {
      const { total, rows, onpath } = seen[m];
      expect(total).toBeGreaterThan(0);
      // The stages partition the transaction (integer ns: exact).
      expect(rows.reduce((a, r) => a + r.ns, 0)).toBe(total);
      const stages = rows.map((r) => r.stage);
      for (const st of ['guest', 'vhost run', 'NIC', 'peer', 'interrupt', 'injection'])
        expect(stages).toContain(st);
      expect(onpath).toContain('vm1.vcpu0');
      expect(onpath).toContain('nic');
      expect(rows.find((r) => r.stage === 'vhost run')?.actor).toMatch(
        m === 'per-cpu' ? /^vhost-cpu/ : /^vhost-vm1/,
      );
    }
    await page.fill('#stepUs', '100');
  }, 120_000);

  it('draws a sequence diagram of the messages the filter shows', async () => {
    await page.fill('#model-per-cpu [data-role="logFilter"]', 'nic');
    await page.click('#model-per-cpu [data-role="seqBox"] summary');
    const got = await page.waitForFunction(
      () => {
        const d = (globalThis as unknown as Win).document;
        const msgs = [...d.querySelectorAll('#model-per-cpu [data-role="seq"] g.msg')].map((g) => ({
          ...g.dataset,
        }));
        const lanes = [...d.querySelectorAll('#model-per-cpu [data-role="seq"] g.lane')].map(
          (g) => g.dataset.lane,
        );
        return msgs.length > 0 ? { msgs, lanes } : null;
      },
      undefined,
      { timeout: 30_000 },
    );
    const { msgs, lanes } = (await got.jsonValue()) as {
      msgs: Record<string, string>[];
      lanes: string[];
    };
    for (const m of msgs) {
      expect(`${m.from} ${m.to} ${m.event}`).toMatch(/nic/);
      expect(lanes).toContain(m.from);
      expect(lanes).toContain(m.to);
    }
    expect(lanes).toContain('nic');
    await page.click('#model-per-cpu [data-role="seqBox"] summary');
    await page.fill('#model-per-cpu [data-role="logFilter"]', '');
  }, 120_000);

  it('the tour: predict, run to the moment that shows it, and see what the simulation did', async () => {
    await page.click('#tourBtn');
    await page.waitForSelector('#tour:not([hidden])');
    const reveals: Record<string, string>[] = [];
    for (let step = 0; step < 5; step++) {
      await page.click('#tour [data-choice="0"]');
      await page.click('#tour [data-tour="run"]');
      const r = await page.waitForFunction(
        (i) => {
          const box = (globalThis as unknown as Win).document.querySelector('#tour');
          const rev = (globalThis as unknown as Win).document.querySelector('#tour [data-role="reveal"]');
          return box?.dataset.step === String(i) && rev !== null
            ? { ...rev.dataset, text: rev.textContent }
            : null;
        },
        step,
        { timeout: 60_000 },
      );
      reveals.push((await r.jsonValue()) as Record<string, string>);
      await page.click('#tour [data-tour="next"]');
    }
    // Per-device's work goes to the VM's own worker: by construction of the model, not a result.
    expect(reveals[0].answer).toBe('0');
    expect(reveals[0].text).toMatch(/per-device: .* queued work wid=\d+ .*on vhost-vm\d/);
    expect(reveals[1].text).toMatch(/woke a thread on cpu\d+, which is now \w+/);
    expect(reveals[3].text).toMatch(/vhost-cpu\d+ holds vm\d+\.dev\d+\.(tx|rx) \(vm\d+\)/);
    expect(reveals[4].text).toMatch(/per-device: [\d.]+ switches\/txn · per-cpu: [\d.]+ switches\/txn/);
    for (const r of reveals) expect(r.right).toBe(String(r.answer === '0'));
    await page.click('#tour [data-tour="close"]');
  }, 240_000);

  it('selects an actor and shows its machine with the current state and its context', async () => {
    await page.click('[data-testid="worker-per-cpu-vhost-cpu0"]');
    await page.waitForSelector('#currentState');
    const state = (await page.textContent('#currentState')) ?? '';
    expect(['sleeping', 'runnable', 'running', 'blocked']).toContain(state);
    // The worker machine's states: sleeping, runnable, running, blocked (in a cgroup attach).
    expect(await page.locator('#diagram g.state').count()).toBe(4);
    expect(await page.getAttribute('#diagram g.state.current', 'data-state')).toBe(state);
    const ctx = JSON.parse((await page.textContent('#context')) ?? '{}');
    expect(ctx.worker).toBe(0);
    expect(ctx.vm).toBe(-1);

    await page.click('[data-testid="core-per-device-1"]');
    await page.waitForFunction(
      () => (globalThis as unknown as Win).document.querySelector('#detail h2')?.textContent === 'cpu1',
    );
    expect(await page.locator('#diagram g.state').count()).toBe(5);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'inspector.png'), fullPage: true });
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });

  it('made no request that left 127.0.0.1', () => {
    expect(requestHosts.length).toBeGreaterThan(0);
    expect([...new Set(requestHosts)]).toEqual([`127.0.0.1:${inspector.port}`]);
  });

  it('refuses a WebSocket from a foreign Origin, from the browser and from anywhere', async () => {
    const other = await context.newPage();
    await other.setContent('<p>another origin</p>');
    // A string, so the browser's own WebSocket runs (not the `ws` import of this file).
    const outcome = await other.evaluate(`new Promise((resolve) => {
      const ws = new WebSocket('ws://127.0.0.1:${inspector.port}/ws');
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    })`);
    expect(outcome).toBe('refused');
    await other.close();
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${inspector.port}/ws`, { origin: 'https://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
  });
});
