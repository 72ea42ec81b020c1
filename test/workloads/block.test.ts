import { describe, expect, it } from 'vitest';
import type { Packet } from '../../src/model/packet.ts';
import type { Scenario } from '../../src/model/scenario.ts';
import { census } from '../../src/runtime/census.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { blockIo, SCSI_CMD_REQ_BYTES, SCSI_CMD_RESP_BYTES } from '../../src/workloads/block.ts';
import type { WorkloadSink } from '../../src/workloads/workload.ts';
import { drive } from '../runtime/drive.ts';

const sink: WorkloadSink = {
  transaction() {},
  delivered() {},
  ack() {},
  senderSleep() {},
  senderWake() {},
};

/** A small fio scenario: one VM with `queues` vCPUs and request queues, one job per queue. */
function fio(vqMap: 'shared' | 'per-pair', jobs: number, edit: (s: Scenario) => void = () => {}): Scenario {
  const s = defaultScenario();
  s.model = 'multi-worker';
  s.vcpusPerVm = 4;
  s.queuePairs = 4;
  s.policy.workersPerDevice = 4;
  s.policy.vqMap = vqMap;
  s.policy.taskMode = 'vhost_task';
  s.workload.kind = 'BLOCK';
  s.workload.instances = jobs;
  s.workload.iodepth = 16;
  s.durationS = 0.01;
  s.warmupS = 0.002;
  edit(s);
  return s;
}

describe('BLOCK workload (fio over vhost-scsi)', () => {
  it('a job starts iodepth requests, alternating read and write, and submits one per completion', () => {
    const spec = { ...defaultScenario().workload, kind: 'BLOCK' as const, iodepth: 4, blockBytes: 4096 };
    const w = blockIo(spec);
    const flow = { flow: 0, dev: 0, peer: -1 };
    const first = w.start(flow, 0);
    expect(first.map((r) => r.kind)).toEqual(['req', 'data', 'req', 'data']);
    expect(first.map((r) => r.bytes)).toEqual([51, 51 + 4096, 51, 51 + 4096]);
    // The backend's response: a read brings its data back, a write only the response.
    expect(w.serverRx({ kind: 'req', bytes: SCSI_CMD_REQ_BYTES } as Packet, -1, sink, () => {})?.bytes).toBe(
      SCSI_CMD_RESP_BYTES + 4096,
    );
    expect(w.serverRx({ kind: 'data', bytes: 4147 } as Packet, -1, sink, () => {})?.bytes).toBe(
      SCSI_CMD_RESP_BYTES,
    );
    const resp = { kind: 'resp', bornNs: 0, dst: 0 } as Packet;
    expect(w.clientRx(flow, resp, 10, sink)).toHaveLength(1);
  });

  it("closed loop: IOPS x mean latency = the requests kept in flight (Little's law by definition)", () => {
    // Past the start, where every job's first iodepth requests were born at once.
    const m = runScenario(
      fio('shared', 2, (s) => {
        s.warmupS = 0.01;
        s.durationS = 0.02;
      }),
    ).metrics;
    const inFlight = (m.throughput.value * (m.latencyUs.mean ?? Number.NaN)) / 1e6;
    expect(inFlight).toBeGreaterThan(2 * 16 * 0.97);
    expect(inFlight).toBeLessThan(2 * 16 * 1.03);
  });

  it('every request is completed or in flight: none dropped, none reaches the NIC', () => {
    const { sys } = drive(fio('per-pair', 3));
    const r = sys.host.recorder;
    expect(r.dropsTotal).toBe(0);
    expect(r.nicIrqs).toBe(0);
    expect(r.created).toBe(r.consumed + census(sys).total);
  });

  it('per-pair: a queue and its completion work run on one worker, each queue on its own', () => {
    const { sys } = drive(fio('per-pair', 1));
    const p = sys.host.policy;
    const w = (wid: number) => p.selectWorker(sys.host.works[wid], 0, 0);
    // works: [tx0, rx0, tx1, rx1, ...]
    expect(w(0)).toBe(w(1));
    expect(w(2)).toBe(w(3));
    expect(w(0)).not.toBe(w(2));
  });

  it('completions are signalled once per batch, not once per request', () => {
    // With four busy queues on one worker a completion run carries many requests, and at most one signal.
    const m = runScenario(fio('shared', 4)).metrics;
    expect(m.vhost.pktsPerWork).toBeGreaterThan(4);
    expect(m.interruptsInjectedPerSec).toBeGreaterThan(0);
    expect(m.interruptsInjectedPerSec).toBeLessThan(m.throughput.value / 4);
  });

  it('a dearer vhost request lowers the one-worker rate once the worker is the bottleneck', () => {
    const base = runScenario(fio('shared', 4)).metrics.throughput.value;
    const dear = runScenario(
      fio('shared', 4, (s) => {
        s.profile.costs.blockVhostSubmitNs *= 2;
      }),
    ).metrics.throughput.value;
    expect(dear).toBeLessThan(base * 0.8);
  });

  it('refuses more requests in flight per queue than the ring holds', async () => {
    const { resolveScenario } = await import('../../src/scenario/resolve.ts');
    expect(() => resolveScenario({ workload: { kind: 'BLOCK', iodepth: 512 } })).toThrow(/iodepth/);
  });
});
