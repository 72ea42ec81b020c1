import { describe, expect, it } from 'vitest';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import type { DispatchIndex } from '../../src/policies/dispatchIndex.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { small } from '../runtime/drive.ts';

/** Run a system in steps and check, between events, that policy and workers agree on every work. */
function check(sys: SimSystem, steps: number, stepNs: number, onStep: () => void): void {
  sys.start();
  for (let k = 1; k <= steps; k++) {
    sys.kernel.run({ untilNs: k * stepNs });
    onStep();
  }
}

const cases = [
  { vms: 12, instances: 1, weightPkts: 256 },
  { vms: 6, instances: 4, weightPkts: 1 },
];

describe('dispatch bookkeeping in a running system', () => {
  it.each(cases)(
    'a queued work sits on exactly one worker list ($vms VMs x $instances, weight $weightPkts)',
    (c) => {
      for (const model of ['per-device', 'per-cpu'] as const) {
        const s = small(model, c.vms, { instances: c.instances });
        s.vhost.weightPkts = c.weightPkts;
        const sys = new SimSystem(s);
        const h = sys.host;
        check(sys, 30, 500_000, () => {
          const where = new Map<number, number>();
          h.workerActor.forEach((id, w) => {
            for (const wid of sys.executor.read<VhostWorkerContext>(id).list) {
              expect(where.has(wid), `${model}: work ${wid} on two lists`).toBe(false);
              where.set(wid, w);
            }
          });
          for (const work of h.works) {
            expect(where.has(work.wid), `${model}: work ${work.wid} queued=${work.queued}`).toBe(work.queued);
            if (work.queued) expect(where.get(work.wid)).toBe(work.worker);
          }
        });
        expect(h.recorder.worksRun).toBeGreaterThan(0);
      }
    },
  );

  it.each(cases)('per-cpu: index load = works listed + running, per worker ($vms VMs x $instances)', (c) => {
    const s = small('per-cpu', c.vms, { instances: c.instances });
    s.vhost.weightPkts = c.weightPkts;
    const sys = new SimSystem(s);
    // The index is private to the policy; reach it to compare with the workers' own lists.
    const index = (sys.host.policy as unknown as { index: DispatchIndex }).index;
    check(sys, 30, 500_000, () => {
      sys.host.workerActor.forEach((id, w) => {
        const ctx = sys.executor.read<VhostWorkerContext>(id);
        const expected = ctx.list.length + (ctx.cur >= 0 ? 1 : 0);
        expect(index.loadOf(w), `worker ${w}`).toBe(expected);
      });
    });
    expect(index.picks).toBe(sys.host.policy.picks);
    expect(sys.host.policy.picks).toBeGreaterThan(0);
  });
});
