import { describe, expect, it } from 'vitest';
import type { Packet } from '../../src/model/packet.ts';
import { census } from '../../src/runtime/census.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { scenarioErrors } from '../../src/scenario/schema.ts';
import { rxStream } from '../../src/workloads/rxStream.ts';
import { TCP_MSS } from '../../src/workloads/stream.ts';
import { drive, small } from '../runtime/drive.ts';

/** TCP_MAERTS: the external peer streams to the guest. */
function maerts(vms = 1, extra: (s: ReturnType<typeof defaultScenario>) => void = () => {}) {
  const s = defaultScenario();
  s.workload.kind = 'TCP_STREAM';
  s.workload.direction = 'rx';
  s.vms = vms;
  s.durationS = 0.02;
  s.warmupS = 0.01;
  extra(s);
  return s;
}

const pkt = (p: Partial<Packet>): Packet =>
  ({ id: 0, src: 0, dst: -1, dev: 0, flow: 0, bytes: 0, kind: 'ack', ack: 0, bornNs: 0, ...p }) as Packet;

describe('the peer as a TCP sender', () => {
  const spec = () => maerts().workload;

  it('the connect opens the initial window (10 segments); an ACK of it lets twice as much out (slow start)', () => {
    const peer = rxStream(spec()).peer;
    if (peer === undefined) throw new Error('an RX stream has a peer sender');
    const first = peer.receive(pkt({ kind: 'req' }), 0);
    expect(first.reduce((a, s) => a + s.bytes, 0)).toBe(10 * TCP_MSS);
    const next = peer.receive(pkt({ kind: 'ack', ack: 10 * TCP_MSS }), 1);
    expect(next.reduce((a, s) => a + s.bytes, 0)).toBe(20 * TCP_MSS);
    expect(next.every((s) => s.kind === 'data' && s.bytes <= spec().gsoBytes)).toBe(true);
  });

  it('a lost skb with nothing else in flight arms the retransmission timer, which resends it', () => {
    const peer = rxStream(spec()).peer;
    if (peer === undefined) throw new Error('an RX stream has a peer sender');
    const [skb] = peer.receive(pkt({ kind: 'req' }), 0);
    expect(peer.lost(pkt({ src: -1, dst: 0, kind: 'data', bytes: skb.bytes }))).toBeGreaterThan(0);
    const again = peer.rto(0, 1);
    expect(again.reduce((a, s) => a + s.bytes, 0)).toBe(TCP_MSS);
  });
});

describe('TCP_MAERTS through the host', () => {
  it("the guest receives the peer's data and ACKs it; the peer sent at least what arrived", () => {
    const m = runScenario(maerts()).metrics;
    expect(m.throughput.unit).toBe('Gbit/s');
    expect(m.throughput.value).toBeGreaterThan(1);
    expect(m.throughput.value).toBeLessThan(10);
    expect(m.perVm[0].throughput).toBe(m.throughput.value);
    expect(m.app.sentGbps).toBeGreaterThanOrEqual(m.app.receivedGbps * 0.95);
    expect(m.guestTx.acksPerSec).toBeGreaterThan(0);
    expect(m.vhost.pktsPerSec.rx).toBeGreaterThan(0);
    // ACKs leave through the guest's TX ring and vhost's handle_tx.
    expect(m.vhost.pktsPerSec.tx).toBeGreaterThan(0);
  });

  it('GRO merges each TSO burst into one skb: without it vhost and the guest handle a packet per frame', () => {
    const gro = runScenario(maerts()).metrics;
    const off = runScenario(maerts(1, (s) => (s.profile.nic.gro = false))).metrics;
    const perGbit = (m: typeof gro) => m.vhost.pktsPerSec.rx / m.throughput.value;
    expect(perGbit(off)).toBeGreaterThan(20 * perGbit(gro));
    expect(off.efficiency.value).toBeLessThan(gro.efficiency.value);
  });

  it("a dearer merged frame raises the receiving CPU's softirq time per byte", () => {
    const irqPerGbit = (ns: number) => {
      const m = runScenario(maerts(1, (s) => (s.profile.costs.groFrameNs = ns))).metrics;
      return m.cpuBreakdown.irq / m.throughput.value;
    };
    expect(irqPerGbit(1_500)).toBeGreaterThan(irqPerGbit(250) * 1.5);
  });

  it('a receive ring smaller than a burst drops at the NIC, and every packet is still accounted for', () => {
    // 40 descriptors: the slow-start bursts of 10, 20 and 40 frames fit, a full 45-frame skb does not.
    // The window opens within the first RTTs, so the drops fall inside a window that starts at once.
    const s = small('per-device', 2, { instances: 2, durationS: 0.01, warmupS: 0.0001 });
    s.workload.kind = 'TCP_STREAM';
    s.workload.direction = 'rx';
    s.profile.nic.rxRingFrames = 40;
    s.profile.nic.steering = 'fixed';
    const { sys } = drive(s);
    const r = sys.host.recorder;
    expect(r.drops.nicRxFull).toBeGreaterThan(0);
    expect(r.created).toBe(r.consumed + r.dropsTotal + census(sys).total);
  });

  it('is refused for UDP and east-west, naming the field', () => {
    for (const s of [
      maerts(1, (x) => (x.workload.kind = 'UDP_STREAM')),
      maerts(1, (x) => (x.workload.peer = 'east-west')),
    ]) {
      const errors = scenarioErrors(s);
      expect(errors.map((e) => e.path)).toEqual(['scenario.workload.direction']);
      expect(errors[0].message).toMatch(/TCP_STREAM and peer external/);
    }
  });
});
