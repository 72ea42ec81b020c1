import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NICE_0_LOAD } from '../../src/sched/cpuLoad.ts';
import { isIdle, setCurr } from '../../src/sched/runQueue.ts';
import { selectIdleSibling, selectTaskRqFair, wakeAffine } from '../../src/sched/selectCpu.ts';
import { allowedOn } from '../../src/sched/task.ts';
import { addTask, occupy, schedState } from './helpers.ts';

describe('wake_affine()', () => {
  // By definition (no group scheduling, wake_idx 0, equal power): with this_load > 0 the wake is balanced
  // when 100 * (this + w) <= (100 + (pct - 100) / 2) * prev, else affine when this <= prev and
  // this + prev <= this_load / nr_running(this).
  const reference = (thisLoad: number, load: number, thisNr: number, pct: number, sync: boolean) => {
    const tl = sync ? thisLoad - NICE_0_LOAD : thisLoad;
    const balanced = tl <= 0 || 100 * (tl + NICE_0_LOAD) <= (100 + Math.trunc((pct - 100) / 2)) * load;
    if (sync && balanced) return true;
    const perTask = thisNr === 0 ? 0 : thisLoad / thisNr;
    return balanced || (tl <= load && tl + load <= perTask);
  };

  it('refuses a busy waker against an idle previous CPU, takes an idle waker', () => {
    const s = schedState();
    occupy(s.rqs, s.tasks, 0); // the waker runs on CPU 0; the wakee last ran on idle CPU 1
    const mc = s.domains[0][0];
    expect(mc.level).toBe('MC');
    expect(wakeAffine(mc, 0, 1, false, s)).toBe(false);
    expect(wakeAffine(mc, 2, 1, false, s)).toBe(true); // CPU 2 idle (an interrupt on an idle core)
  });

  it('is taken when the previous CPU carries two tasks and the waker one', () => {
    const s = schedState();
    occupy(s.rqs, s.tasks, 0);
    occupy(s.rqs, s.tasks, 1, 1);
    expect(wakeAffine(s.domains[0][0], 0, 1, false, s)).toBe(true);
    expect(reference(1024, 2048, 1, 125, false)).toBe(true);
  });

  it('the sync hint removes the waker: one task against one is then affine', () => {
    const s = schedState();
    occupy(s.rqs, s.tasks, 0);
    occupy(s.rqs, s.tasks, 1);
    expect(wakeAffine(s.domains[0][0], 0, 1, false, s)).toBe(false);
    expect(wakeAffine(s.domains[0][0], 0, 1, true, s)).toBe(true);
  });

  it('property: matches the definition over random loads', () => {
    fc.assert(
      fc.property(fc.nat(4), fc.nat(4), fc.boolean(), (thisNr, prevNr, sync) => {
        const s = schedState();
        if (thisNr > 0) occupy(s.rqs, s.tasks, 0, thisNr - 1);
        if (prevNr > 0) occupy(s.rqs, s.tasks, 1, prevNr - 1);
        const got = wakeAffine(s.domains[0][0], 0, 1, sync && thisNr > 0, s);
        expect(got).toBe(reference(thisNr * 1024, prevNr * 1024, thisNr, 125, sync && thisNr > 0));
      }),
    );
  });
});

describe('select_idle_sibling()', () => {
  it('finds an idle CPU only inside the target LLC', () => {
    // Two 2-core caches per socket: CPUs 0-1 and 2-3 share an L3.
    const s = schedState({ sockets: 1, coresPerSocket: 4, coresPerLlc: 2 });
    occupy(s.rqs, s.tasks, 0);
    occupy(s.rqs, s.tasks, 1);
    const t = addTask(s.tasks, 0);
    expect(selectIdleSibling(t, 0, 0, 0, s)).toBe(0); // CPUs 2 and 3 are idle, but in the other cache
    setCurr(s.rqs[1], -1);
    expect(selectIdleSibling(t, 0, 0, 0, s)).toBe(1);
  });

  it('prefers a wholly idle core to an idle thread of a busy one (SMT)', () => {
    const s = schedState({ sockets: 1, coresPerSocket: 2, threadsPerCore: 2 }); // cores {0,1} {2,3}
    occupy(s.rqs, s.tasks, 0);
    const t = addTask(s.tasks, 0);
    expect(selectIdleSibling(t, 0, 0, 0, s)).toBe(2);
    occupy(s.rqs, s.tasks, 3);
    expect(selectIdleSibling(t, 0, 0, 0, s)).toBe(1); // no idle core left: the SMT level's idle thread
  });

  it('keeps an idle target and respects affinity', () => {
    const s = schedState();
    const t = addTask(s.tasks, 1, { allowed: [1, 3] });
    expect(selectIdleSibling(t, 1, 0, 1, s)).toBe(1);
    occupy(s.rqs, s.tasks, 1);
    expect(selectIdleSibling(t, 1, 0, 1, s)).toBe(3);
  });
});

describe('select_task_rq_fair() for a wake-up', () => {
  it('an interrupt on an idle core pulls the wakee there (wake_affine, then the idle waker CPU)', () => {
    const s = schedState();
    occupy(s.rqs, s.tasks, 5);
    const t = addTask(s.tasks, 5);
    expect(selectTaskRqFair(t, 0, false, s)).toEqual({ cpu: 0, affine: true, idleSibling: false });
  });

  it('without SD_WAKE_AFFINE at the NUMA level (REMOTE_DISTANCE) a cross-socket wakee stays on its busy CPU', () => {
    const s = schedState({ sockets: 2, coresPerSocket: 4 }, { affineDistance: 'remote' });
    for (const cpu of [4, 5, 6, 7]) occupy(s.rqs, s.tasks, cpu);
    const t = addTask(s.tasks, 5);
    expect(selectTaskRqFair(t, 0, false, s).cpu).toBe(5);
    const r = schedState({ sockets: 2, coresPerSocket: 4 });
    for (const cpu of [4, 5, 6, 7]) occupy(r.rqs, r.tasks, cpu);
    expect(selectTaskRqFair(addTask(r.tasks, 5), 0, false, r).cpu).toBe(0);
  });

  it('a task allowed on one CPU stays there', () => {
    const s = schedState();
    occupy(s.rqs, s.tasks, 2);
    expect(selectTaskRqFair(addTask(s.tasks, 2, { allowed: [2] }), 0, false, s).cpu).toBe(2);
  });

  it('each rule can be switched off', () => {
    const s = schedState();
    occupy(s.rqs, s.tasks, 5);
    s.rules.wakeAffine = false;
    const t = addTask(s.tasks, 5);
    expect(selectTaskRqFair(t, 0, false, s)).toEqual({ cpu: 6, affine: false, idleSibling: true });
    s.rules.selectIdleSibling = false;
    expect(selectTaskRqFair(t, 0, false, s).cpu).toBe(5);
  });

  it('property: allowed; an idle previous CPU of a refused wake is kept; a moved wakee lands idle or on the waker', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
        fc.nat(7),
        fc.nat(7),
        fc.option(fc.uniqueArray(fc.nat(7), { minLength: 1, maxLength: 5 })),
        fc.boolean(),
        (loadOf, prev, waker, allowed, sync) => {
          const s = schedState();
          loadOf.forEach((l, cpu) => {
            if (l > 0) occupy(s.rqs, s.tasks, cpu, l - 1);
          });
          const t = addTask(s.tasks, prev, { allowed });
          const p = selectTaskRqFair(t, waker, sync, s);
          expect(allowedOn(t, p.cpu)).toBe(true);
          if (!allowedOn(t, prev)) return;
          if (!p.affine && isIdle(s.rqs[prev])) expect(p.cpu).toBe(prev);
          if (p.cpu !== prev && p.cpu !== waker) expect(isIdle(s.rqs[p.cpu])).toBe(true);
          if (p.idleSibling) expect(s.topo.llcOf[p.cpu]).toBe(s.topo.llcOf[p.affine ? waker : prev]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
