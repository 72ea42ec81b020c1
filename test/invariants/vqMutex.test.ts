import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import type { VirtqueueContext } from '../../machines/virtqueue.machine.ts';
import type { SimSystem } from '../../src/runtime/system.ts';
import { drive } from '../runtime/drive.ts';
import { describeScenario, fcParams, smallScenario } from './gen.ts';

/** A worker is inside a handler (it took vq->mutex) while its segment is a packet, a signal or a spin. */
const inHandler = (w: VhostWorkerContext) =>
  w.cur >= 0 && (w.phase === 'pkt' || w.phase === 'signal' || w.phase === 'spin');

/**
 * vq->mutex after any delivery: at most one worker runs a handler on a virtqueue, and the vq's holder is
 * exactly that worker (a foreign unlock would leave a running handler with the mutex free; a lock never
 * released would leave the mutex held with nobody in the handler).
 */
function checkVqMutex(sys: SimSystem): string | null {
  const { host, executor } = sys;
  const running = new Map<number, number[]>();
  for (const id of host.workerActor) {
    const w = executor.read<VhostWorkerContext>(id);
    if (!inHandler(w)) continue;
    const vq = host.works[w.cur].vq;
    running.set(vq, [...(running.get(vq) ?? []), w.worker]);
  }
  for (const vqs of [host.txVq, host.rxVq]) {
    for (const vq of vqs.flat()) {
      const held = executor.read<VirtqueueContext>(vq).heldBy;
      const who = running.get(vq) ?? [];
      if (who.length > 1) return `${sys.keys[vq]}: handlers of workers ${who} run at once`;
      if (who.length === 1 && held !== who[0])
        return `${sys.keys[vq]}: worker ${who[0]} runs its handler but vq->mutex is held by ${held}`;
      if (who.length === 0 && held >= 0) return `${sys.keys[vq]}: held by ${held}, no handler running`;
    }
  }
  return null;
}

/** Random small scenarios, half of them shaped to contend: per-CPU workers, many VMs, east-west. */
const scenario = fc.oneof(
  smallScenario,
  smallScenario.map((s) => ({
    ...s,
    model: 'per-cpu' as const,
    vms: Math.max(4, s.vms),
    workload: { ...s.workload, peer: 'east-west' as const },
  })),
);

describe('vq->mutex (fast-check)', () => {
  test.prop([scenario], fcParams(30))(
    'only the holder unlocks; no two handlers ever run on one vq at once',
    (s) => {
      let violation: string | null = null;
      const box: { sys: SimSystem | null } = { sys: null };
      drive(
        s,
        {
          onTrace: (ev) => {
            if (violation !== null || box.sys === null) return;
            const v = checkVqMutex(box.sys);
            if (v !== null) violation = `at ${ev.atNs} ns after ${ev.actor} <- ${ev.event}: ${v}`;
          },
        },
        (sys) => {
          box.sys = sys;
        },
      );
      expect(violation, describeScenario(s)).toBeNull();
    },
  );

  test('a contended vq is left to its holder (east-west, per-CPU, 8 VMs)', () => {
    // The shape the bug showed in: another worker is queued the work while the holder drains it.
    const s = fc.sample(smallScenario, { seed: 1, numRuns: 1 })[0];
    const t = { ...s, model: 'per-cpu' as const, vms: 8, durationS: 0.01, warmupS: 0 };
    t.policy = { ...t.policy, cgroupAttach: 'charge' };
    t.workload = { ...t.workload, kind: 'TCP_RR', peer: 'east-west' };
    let violation: string | null = null;
    const box: { sys: SimSystem | null } = { sys: null };
    const { sys } = drive(
      t,
      {
        onTrace: () => {
          if (violation === null && box.sys !== null) violation = checkVqMutex(box.sys);
        },
      },
      (built) => {
        box.sys = built;
      },
    );
    expect(violation).toBeNull();
    expect(sys.host.recorder.vqMutexContended).toBeGreaterThan(0);
  });
});
