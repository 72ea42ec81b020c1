import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import { CAT_GUEST, CAT_VHOST, categories } from '../../src/host/categories.ts';
import type { Scenario } from '../../src/model/scenario.ts';
import { census } from '../../src/runtime/census.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import type { SimSystem } from '../../src/runtime/system.ts';
import type { TraceEvent } from '../../src/runtime/trace.ts';
import { drive } from '../runtime/drive.ts';
import { checkScheduler } from './checks.ts';
import { describeScenario, fcParams, smallScenario } from './gen.ts';

const K = categories.length;

/** Checked after every delivery; conservation (a full census) on every CONSERVE_EVERY-th one. */
const CONSERVE_EVERY = 257;

interface Observed {
  deliveries: number;
  violation: string | null;
}

/**
 * Run `s` with every invariant checked as it runs:
 * - trace times never go backwards (kernel ordering, virtual time);
 * - a core never runs two threads, a thread is in one place (the run queues agree with the machines);
 * - no work is queued twice: a work with its QUEUED bit set is on exactly one worker's list or on its way
 *   there (a `work.queued` message in flight), a work without it on none;
 * - packets are conserved: created = consumed + dropped + in flight (sampled).
 */
function observe(s: Scenario): { sys: SimSystem; windowNs: number; seen: Observed } {
  const seen: Observed = { deliveries: 0, violation: null };
  const box: { sys: SimSystem | null } = { sys: null };
  let lastNs = 0;
  // work.queued messages in flight, per worker actor key, in send order (delay 0 links are FIFO).
  const inFlight = new Map<string, number[]>();
  const fail = (ev: TraceEvent, what: string) => {
    seen.violation ??= `at ${ev.atNs} ns after ${ev.actor} <- ${ev.event}: ${what}`;
  };
  const onTrace = (ev: TraceEvent) => {
    const sys = box.sys;
    if (sys === null || seen.violation !== null) return;
    seen.deliveries++;
    if (ev.atNs < lastNs) fail(ev, `time went backwards from ${lastNs}`);
    lastNs = ev.atNs;
    if (ev.event === 'work.queued') inFlight.get(ev.actor)?.shift();
    const sched = checkScheduler(sys);
    if (sched !== null) fail(ev, sched);
    const works = checkWorks(sys, inFlight);
    if (works !== null) fail(ev, works);
    if (seen.deliveries % CONSERVE_EVERY === 0) {
      const r = sys.host.recorder;
      const c = census(sys).total;
      if (r.created !== r.consumed + r.dropsTotal + c)
        fail(ev, `created ${r.created} != consumed ${r.consumed} + dropped ${r.dropsTotal} + in flight ${c}`);
    }
  };
  const { sys, windowNs } = drive(s, { onTrace }, (built) => {
    box.sys = built;
    for (const id of built.host.workerActor) {
      const key = built.keys[id];
      const q: number[] = [];
      inFlight.set(key, q);
      // The link is shared by every worker (one per kind of actor): keep this worker's deliveries.
      built.links[id].subscribe((d) => {
        if (d.to === id && d.ev.type === 'work.queued') q.push((d.ev as unknown as { wid: number }).wid);
      });
    }
  });
  return { sys, windowNs, seen };
}

function checkWorks(sys: SimSystem, inFlight: Map<string, number[]>): string | null {
  const { works, workerActor } = sys.host;
  const where = new Array<number>(works.length).fill(0);
  for (const id of workerActor) {
    for (const wid of sys.executor.read<VhostWorkerContext>(id).list) where[wid]++;
    for (const wid of inFlight.get(sys.keys[id]) ?? []) where[wid]++;
  }
  for (const w of works) {
    const want = w.queued ? 1 : 0;
    if (where[w.wid] !== want)
      return `work ${w.wid} (vm${w.vm} dev${w.dev} ${w.dir}) queued=${w.queued} is on ${where[w.wid]} lists/links`;
  }
  return null;
}

describe('simulation invariants on random small scenarios (fast-check)', () => {
  test.prop([smallScenario], fcParams(30))(
    'ordering, one thread per core, no work queued twice, packets conserved, exact CPU accounting',
    (s) => {
      const label = describeScenario(s);
      const { sys, windowNs, seen } = observe(s);
      expect(seen.violation, label).toBeNull();
      expect(seen.deliveries, label).toBeGreaterThan(0);
      expect(sys.kernel.nowNs, label).toBe(Math.round(s.warmupS * 1e9) + Math.round(s.durationS * 1e9));

      // Conservation at the end.
      const r = sys.host.recorder;
      expect(r.created, label).toBe(r.consumed + r.dropsTotal + census(sys).total);

      // Every nanosecond of every core in exactly one category: cores x window, exactly.
      const cpus = sys.topo.cpus;
      let total = 0;
      let guestVhost = 0;
      for (let cpu = 0; cpu < cpus; cpu++) {
        let core = 0;
        for (let k = 0; k < K; k++) {
          const ns = r.cpuNs[cpu * K + k];
          expect(Number.isInteger(ns) && ns >= 0, `${label}: cpu${cpu} ${categories[k]} = ${ns}`).toBe(true);
          core += ns;
        }
        expect(core, `${label}: cpu${cpu}`).toBe(windowNs);
        total += core;
        guestVhost += r.cpuNs[cpu * K + CAT_GUEST] + r.cpuNs[cpu * K + CAT_VHOST];
      }
      expect(total, label).toBe(cpus * windowNs);
      // The VMs' cgroups are charged exactly their guest and vhost time.
      const cgroups = Array.from(r.vmNs).reduce((a, b) => a + b, 0);
      expect(cgroups, label).toBe(guestVhost);
    },
  );

  test.prop([smallScenario], fcParams(12))(
    'determinism: the same scenario twice gives identical metrics',
    (s) => {
      const a = JSON.stringify(runScenario(s).metrics);
      const b = JSON.stringify(runScenario(structuredClone(s)).metrics);
      expect(b, describeScenario(s)).toBe(a);
    },
  );
});

describe('kernel ordering (fast-check)', () => {
  // Each op schedules at a delay and priority, optionally cancelling an earlier event; some events schedule more.
  const op = fc.record({
    delay: fc.integer({ min: 0, max: 50 }),
    priority: fc.integer({ min: 0, max: 2 }),
    cancel: fc.option(fc.nat(), { freq: 5 }),
    child: fc.option(fc.integer({ min: 0, max: 20 }), { freq: 3 }),
  });
  test.prop([fc.array(op, { maxLength: 200 }), fc.integer({ min: 0, max: 120 })], fcParams(200))(
    'events fire in (time, priority, FIFO) order, each live one exactly once, never in the past',
    async (ops, until) => {
      const { SimKernel } = await import('../../src/kernel/simKernel.ts');
      const k = new SimKernel();
      const fired: { id: number; at: number; pri: number }[] = [];
      // Our own record of each event: its handle, when it is due, and whether we cancelled it.
      const events: {
        handle: ReturnType<typeof k.schedule>;
        id: number;
        atNs: number;
        cancelled: boolean;
      }[] = [];
      let nextId = 0;
      const scheduleOne = (delay: number, pri: number, child: number | null) => {
        const id = nextId++;
        const atNs = k.nowNs + delay;
        const handle = k.schedule(
          delay,
          () => {
            fired.push({ id, at: k.nowNs, pri });
            if (child !== null) scheduleOne(child, pri, null);
          },
          null,
          pri,
        );
        events.push({ handle, id, atNs, cancelled: false });
      };
      for (const o of ops) {
        scheduleOne(o.delay, o.priority, o.child);
        if (o.cancel !== null) {
          const e = events[o.cancel % events.length];
          k.cancel(e.handle);
          e.cancelled = true;
        }
      }
      k.run({ untilNs: until });
      expect(k.nowNs).toBe(until);
      for (let i = 1; i < fired.length; i++) expect(fired[i].at).toBeGreaterThanOrEqual(fired[i - 1].at);
      const ids = fired.map((f) => f.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of events) {
        const wasFired = ids.includes(e.id);
        if (e.cancelled) expect(wasFired, `event ${e.id} was cancelled`).toBe(false);
        else expect(wasFired, `event ${e.id} due at ${e.atNs}`).toBe(e.atNs <= until);
      }
      // Same time: lower priority value first, then FIFO (ids grow with scheduling order).
      for (let i = 1; i < fired.length; i++) {
        const [p, q] = [fired[i - 1], fired[i]];
        if (p.at === q.at && p.pri === q.pri && p.id > q.id && events[q.id].atNs === p.at) {
          expect.fail(`FIFO broken at ${p.at}: event ${p.id} fired before ${q.id}`);
        }
      }
    },
  );
});
