import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newLine, takeLine } from '../../src/host/cacheLine.ts';
import type { Scenario } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';

// Two sockets of four cores, one L3 each (the talk's host).
const llcOf = [0, 0, 0, 0, 1, 1, 1, 1];
const costs = { lineLlcNs: 40, lineRemoteNs: 120 };

describe('a shared cache line (src/host/cacheLine.ts)', () => {
  it('costs nothing to the CPU that wrote it last, a transfer within the L3, more from the other L3', () => {
    const line = newLine();
    expect(takeLine(line, 0, 0, llcOf, costs, 0)).toEqual({ ns: 0, spinNs: 0, transfer: 'none' });
    expect(takeLine(line, 0, 10, llcOf, costs, 0).transfer).toBe('none');
    expect(takeLine(line, 1, 20, llcOf, costs, 0)).toEqual({ ns: 40, spinNs: 0, transfer: 'llc' });
    expect(takeLine(line, 5, 30, llcOf, costs, 0)).toEqual({ ns: 120, spinNs: 0, transfer: 'remote' });
    expect(line.lastCpu).toBe(5);
  });

  it('a lock taken while another CPU holds it spins until the holder lets go', () => {
    const line = newLine();
    // CPU 0 takes it at t=0 and holds it 300 ns; CPU 1 comes at t=100: spins 200 ns, then pulls the line.
    takeLine(line, 0, 0, llcOf, costs, 300);
    expect(line.heldUntilNs).toBe(300);
    expect(takeLine(line, 1, 100, llcOf, costs, 300)).toEqual({ ns: 240, spinNs: 200, transfer: 'llc' });
    expect(line.heldUntilNs).toBe(100 + 200 + 40 + 300);
    // After the holder is done nobody spins.
    expect(takeLine(line, 1, 10_000, llcOf, costs, 300).spinNs).toBe(0);
  });

  it('property: cost = spin + transfer; the taker owns the line; the hold ends after the cost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpu: fc.integer({ min: 0, max: 7 }), gap: fc.nat(500), hold: fc.nat(400) }), {
          maxLength: 40,
        }),
        (ops) => {
          const line = newLine();
          let t = 0;
          for (const op of ops) {
            t += op.gap;
            const before = { ...line };
            const r = takeLine(line, op.cpu, t, llcOf, costs, op.hold);
            const xfer =
              before.lastCpu < 0 || before.lastCpu === op.cpu
                ? 0
                : llcOf[before.lastCpu] === llcOf[op.cpu]
                  ? 40
                  : 120;
            const spin = op.hold > 0 ? Math.max(0, before.heldUntilNs - t) : 0;
            expect(r.ns).toBe(spin + xfer);
            expect(line.lastCpu).toBe(op.cpu);
            if (op.hold > 0) expect(line.heldUntilNs).toBe(t + r.ns + op.hold);
          }
        },
      ),
    );
  });
});

describe("dev->work_lock in the host (vhost_work_queue and vhost_worker's dequeue)", () => {
  const scenario = (workLock: boolean): Scenario => {
    const s = defaultScenario();
    s.vms = 1;
    s.profile.locks.workLock = workLock;
    return s;
  };

  it('queueing from another socket makes the queuer owe the transfer; the worker owes it back at dequeue', () => {
    const sys = new SimSystem(scenario(true));
    const h = sys.host;
    const wid = h.txWork[0][0];
    const w = 0; // per-device, 1 VM: the VM's one worker
    const worker = h.workerTid[w];
    const vcpu = sys.executor.read<{ tid: number }>(h.vcpuActor[0][0]).tid;
    h.workLines[w].lastCpu = 0; // the worker dequeued last on CPU 0
    h.queueWork(wid, 4, -1, false, vcpu); // a kick from CPU 4, the other socket
    expect(h.works[wid].worker).toBe(w);
    expect(h.tasks[vcpu].lockDebtNs).toBe(h.costs.lineRemoteNs);
    // The worker, on CPU 1, takes the line back at the same instant: it spins while the queuer holds the
    // lock (its transfer and workLockHoldNs), then pulls the line across the sockets.
    h.dequeueWork(w, worker, 1);
    const c = h.costs;
    const owed = c.lineRemoteNs + c.workLockHoldNs + c.lineRemoteNs;
    expect(h.tasks[worker].lockDebtNs).toBe(owed);
    expect(h.recorder.lineRemoteTransfers).toBe(2);
    expect(h.recorder.lockSpins).toBe(1);
    // The debt is paid in the thread's next CPU segment.
    h.exec(worker, 1_000, 0);
    expect(h.tasks[worker].segRemainingNs - owed).toBeGreaterThan(0);
    expect(h.tasks[worker].lockDebtNs).toBe(0);
  });

  it('switched off (profile.locks.workLock=false), nothing is owed or counted', () => {
    const off = runScenario({ ...scenario(false), durationS: 0.005, warmupS: 0.001 }).metrics;
    expect(off.hostCosts.lineTransfersPerSec).toEqual({ llc: 0, remote: 0 });
    const on = runScenario({ ...scenario(true), durationS: 0.005, warmupS: 0.001 }).metrics;
    expect(on.hostCosts.lineTransfersPerSec.llc + on.hostCosts.lineTransfersPerSec.remote).toBeGreaterThan(0);
  });

  it("per-cpu's shared workers are queued onto from several CPUs: the lock spins", () => {
    const s = defaultScenario();
    s.model = 'per-cpu';
    s.vms = 8;
    s.durationS = 0.01;
    s.warmupS = 0.002;
    const m = runScenario(s).metrics;
    expect(m.hostCosts.workLockSpinsPerSec).toBeGreaterThan(0);
    s.profile.locks.dispatchLines = false;
    s.profile.locks.workLock = false;
    expect(runScenario(s).metrics.hostCosts.workLockSpinsPerSec).toBe(0);
  });
});
