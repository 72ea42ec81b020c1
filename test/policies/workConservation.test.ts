import { describe, expect, it } from 'vitest';
import { type IdleWaits, sampleIdleWaits } from '../../src/metrics/idleWaits.ts';
import type { SimSystem } from '../../src/runtime/system.ts';
import { drive, small } from '../runtime/drive.ts';

/**
 * Per-cpu, 8 VMs of 1 vCPU, TCP_RR east-west, pairs across nodes. Every µs after warm-up: how many
 * vhost threads wait in a run queue, and how many of them while a core of their own node, or only one of
 * the other node, is idle.
 */
function waits() {
  const s = small('per-cpu', 8, { durationS: 0.008, warmupS: 0.004 });
  s.workload.peer = 'east-west';
  s.workload.pairing = 'neighbor';
  let read: () => IdleWaits = () => ({ waiting: 0, sameNodeIdle: 0, otherNodeIdle: 0 });
  const { sys } = drive(s, {}, (sys: SimSystem) => {
    read = sampleIdleWaits(sys.host, sys.kernel, 4_000_000);
  });
  return { ...read(), sys };
}

describe('work conservation under per-cpu east-west (the node-local dispatch)', () => {
  it('vhost threads wait for their pinned CPU while cores sit idle, some of them on the other node', () => {
    const w = waits();
    expect(w.waiting).toBeGreaterThan(0);
    // Pinned workers chosen by their load, not their CPU's: a worker waits behind the vCPU on its core
    // (or for the core to leave idle) while other cores are idle. Almost no wait happens with every
    // core busy. How the waits split between the own node and the other depends on the run's timing
    // (seed 1 of the 1 us attach era put 98 % on the other node, seeds 2-4 about 30 %), so only the
    // presence of other-node waits, which the node-local rule cannot use, is asserted.
    expect((w.sameNodeIdle + w.otherNodeIdle) / w.waiting).toBeGreaterThan(0.95);
    expect(w.otherNodeIdle / w.waiting).toBeGreaterThan(0.1);
  });
});
