import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runtime/runScenario.ts';
import type { TraceEvent } from '../../src/runtime/trace.ts';
import { small } from './drive.ts';

describe('trace: each delivery names its sender and carries its message', () => {
  it.each(['per-device', 'per-cpu'] as const)(
    '%s: senders are the actors the machines send from',
    (model) => {
      const trace: TraceEvent[] = [];
      runScenario(small(model, 2, { seed: 3, durationS: 0.004, warmupS: 0.001 }), {
        onTrace: (ev) => trace.push(ev),
      });
      const from = (event: string) => new Set(trace.filter((e) => e.event === event).map((e) => e.from));
      // The workload's start is the kernel's; a frame reaches the NIC from a vhost worker; the NIC raises
      // the interrupt and sends itself the peer's reply; a timer a core arms is its own.
      expect([...from('vcpu.start')]).toEqual(['kernel']);
      for (const f of from('nic.tx')) expect(f).toMatch(/^vhost-/);
      expect([...from('irq.raise')]).toEqual(['nic']);
      expect([...from('nic.rx')]).toEqual(['nic']);
      for (const e of trace.filter((x) => x.event === 'seg.done')) expect(e.from).toBe(e.actor);
      // Interrupt injection comes from the worker that signalled; the message is the one delivered.
      for (const e of trace.filter((x) => x.event === 'irq.inject')) {
        expect(e.from).toMatch(/^vhost-/);
        expect(e.msg.type).toBe('irq.inject');
        expect(e.msg.dir === 'tx' || e.msg.dir === 'rx').toBe(true);
      }
      for (const e of trace.filter((x) => x.event === 'nic.tx')) {
        expect((e.msg.pkt as { dst: number }).dst).toBe(-1);
      }
    },
  );
});
