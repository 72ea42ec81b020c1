import { describe, expect, it } from 'vitest';
import { buildTopology } from '../../src/model/topology.ts';
import { type PerCpuOptions, PerCpuPolicy } from '../../src/policies/perCpu.ts';
import { PerDevicePolicy } from '../../src/policies/perDevice.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import type { VhostWork } from '../../src/vhost/vhostWork.ts';
import { small } from '../runtime/drive.ts';

/** One VM's queue pair per device: works 2d (TX) and 2d+1 (RX). */
function works(devices: number): VhostWork[] {
  return Array.from({ length: 2 * devices }, (_, wid) => ({
    wid,
    vm: Math.floor(wid / 2),
    dev: 0,
    dir: wid % 2 === 0 ? ('tx' as const) : ('rx' as const),
    vq: wid,
    queued: false,
    worker: -1,
    queuedAtNs: 0,
    backlogged: false,
  }));
}

/** A per-CPU policy on 2 sockets x 4 cores, with `vms` VMs of one device and the given run queues. */
function policy(opts: Partial<PerCpuOptions>, vms: number, nr: number[] = new Array(8).fill(0)) {
  const topo = buildTopology({ sockets: 2, coresPerSocket: 4, ghz: 2 });
  const scenario = { ...defaultScenario(), vms };
  const p = new PerCpuPolicy(opts);
  const specs = p.createWorkers({ topo, scenario, slots: 1, nrRunning: (cpu) => nr[cpu] });
  const ws = works(vms);
  p.bindWorks(ws);
  /** What Host.queueWork does around the policy. */
  const queue = (wid: number, fromCpu: number, requeuedBy = -1) => {
    const w = p.selectWorker(ws[wid], fromCpu, 0, requeuedBy);
    ws[wid].worker = w;
    return w;
  };
  return { p, specs, ws, queue };
}

describe('per-cpu key (policy.perCpuKey)', () => {
  it('cpu: the worker whose CPU has the shortest run queue wins even when it has more works queued', () => {
    // CPU 1 runs a vCPU and its worker is idle; worker 2 has one work queued but its CPU runs nothing else.
    const nr = [1, 1, 0, 1, 0, 0, 0, 0];
    const { p, queue } = policy({ key: 'cpu' }, 10, nr);
    expect(queue(0, 0)).toBe(2);
    nr[2] = 1; // worker 2 now runs
    // Run queues 1, 1, 1 on CPUs 1-3: the fewest works breaks the tie, so worker 2 (one work) loses.
    expect(queue(2, 0)).toBe(1);
    expect(p.picks).toBe(2);
  });

  it('works-then-cpu: fewest works first, the run queue breaks ties', () => {
    const nr = [1, 1, 0, 1, 0, 0, 0, 0];
    const { queue } = policy({ key: 'works-then-cpu' }, 10, nr);
    // Workers 1-3 all have no work: CPU 2's empty run queue decides.
    expect(queue(0, 0)).toBe(2);
    // Worker 2 has a work now; 1 and 3 have none and equal run queues: the lower index.
    expect(queue(2, 0)).toBe(1);
  });

  it('works (the default) ignores the run queues', () => {
    const nr = [1, 9, 9, 9, 0, 0, 0, 0];
    expect(policy({}, 10, nr).queue(0, 0)).toBe(1);
  });
});

describe('per-cpu requeue (policy.perCpuRequeue)', () => {
  it('own: a work requeued at its weight stays on the worker that ran it; pick: it is picked again', () => {
    const own = policy({ requeue: 'own' }, 10);
    const w = own.queue(0, 0);
    own.p.workFinished(w, 10, own.ws[0]);
    // Requeued from the worker's own CPU: under `never` a pick could not choose it; `own` keeps it there.
    expect(own.queue(0, w, w)).toBe(w);
    const pick = policy({ requeue: 'pick' }, 10);
    const v = pick.queue(0, 0);
    pick.p.workFinished(v, 10, pick.ws[0]);
    expect(pick.queue(0, v, v)).not.toBe(v);
  });
});

describe('per-cpu hybrid (policy.perCpuTxRx)', () => {
  it('while per-device threads would not outnumber the CPUs, the workers are per-device threads', () => {
    const topo = buildTopology({ sockets: 2, coresPerSocket: 4, ghz: 2 });
    const scenario = { ...defaultScenario(), vms: 8 };
    const { specs, queue } = policy({ txRx: 'hybrid' }, 8);
    expect(specs).toEqual(new PerDevicePolicy().createWorkers({ topo, scenario, slots: 1 }));
    // TX and RX of VM 3 on its one thread.
    expect(queue(6, 0)).toBe(3);
    expect(queue(7, 5)).toBe(3);
    // One device more than CPUs: the shared pool.
    expect(policy({ txRx: 'hybrid' }, 9).specs.every((s) => s.vm === -1)).toBe(true);
  });

  it('in the shared pool, a work joins the worker of its queue pair unless both directions are backlogged', () => {
    const { p, ws, queue } = policy({ txRx: 'hybrid' }, 10);
    const tx = queue(0, 0);
    // RX of the same pair while TX is still queued: joins TX's worker, though idle workers exist.
    expect(queue(1, 0)).toBe(tx);
    expect(p.joins).toBe(1);
    p.workFinished(tx, 5, ws[0]);
    p.workFinished(tx, 6, ws[1]);
    // Nothing of the pair in flight: an ordinary pick.
    const tx2 = queue(0, 1);
    expect(p.joins).toBe(1);
    // Both directions backlogged (their last runs hit the weight): split.
    ws[0].backlogged = true;
    ws[1].backlogged = true;
    expect(queue(1, 1)).not.toBe(tx2);
    expect(p.joins).toBe(1);
    // Only one backlogged: joined again.
    p.workFinished(ws[1].worker, 7, ws[1]);
    ws[1].backlogged = false;
    expect(queue(1, 1)).toBe(tx2);
  });

  it('split (the default) never joins', () => {
    const { p, queue } = policy({}, 10);
    const tx = queue(0, 0);
    expect(queue(1, 0)).not.toBe(tx);
    expect(p.joins).toBe(0);
  });
});

describe('per-cpu variants in a run', () => {
  it('requeue own moves fewer works between workers: fewer picks per requeue', () => {
    const run = (requeue: 'pick' | 'own') => {
      const s = small('per-cpu', 12, { durationS: 0.01, warmupS: 0.002 });
      s.workload.kind = 'UDP_STREAM';
      s.policy.perCpuRequeue = requeue;
      return runScenario(s).metrics.vhost;
    };
    const pick = run('pick');
    const own = run('own');
    expect(pick.requeuesPerSec).toBeGreaterThan(0);
    expect(own.requeuesPerSec).toBeGreaterThan(0);
    // Under `own` a requeue is no pick: picks are the works queued less the requeues.
    expect(own.dispatchPicksPerSec / own.worksPerSec).toBeLessThan(
      pick.dispatchPicksPerSec / pick.worksPerSec,
    );
  });
});
