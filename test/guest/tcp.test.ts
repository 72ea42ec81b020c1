import { describe, expect, it } from 'vitest';
import type { NicContext } from '../../machines/nic.machine.ts';
import {
  newTcpReceiver,
  onData,
  onDelackTimer,
  TCP_DELACK_MIN_NS,
  TCP_MAX_QUICKACKS,
} from '../../src/guest/tcpReceiver.ts';
import {
  markLost,
  needsRto,
  newTcpSender,
  onAck,
  onRto,
  TCP_INIT_CWND,
  write,
  writeXmit,
} from '../../src/guest/tcpSender.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { small } from '../runtime/drive.ts';

const MSS = 1448;

describe('TCP sender (tcp_write_xmit, tcp_ack)', () => {
  it('slow start: the window grows by one segment per segment acknowledged, then by one per window', () => {
    const s = newTcpSender(MSS, 65_160, 1 << 24);
    expect(s.cwnd).toBe(TCP_INIT_CWND);
    write(s, 100 * MSS);
    writeXmit(s);
    onAck(s, 10 * MSS);
    expect(s.cwnd).toBe(20);
    s.ssthresh = 20;
    onAck(s, 30 * MSS); // 20 more segments in congestion avoidance: one window's worth
    expect(s.cwnd).toBe(21);
  });

  it('halves the window on a drop, once per recovery; an RTO drops it to one segment', () => {
    const s = newTcpSender(MSS, 65_160, 1 << 24);
    s.cwnd = 40;
    write(s, 40 * MSS);
    writeXmit(s);
    expect(s.inFlight).toBe(40 * MSS);
    markLost(s, MSS);
    markLost(s, MSS);
    onAck(s, MSS); // the duplicate ACKs' news arrives with the next ACK
    expect([s.cwnd, s.ssthresh]).toEqual([20, 20]);
    // The lost bytes are queued again for retransmission.
    expect(s.unsent).toBe(2 * MSS);
    markLost(s, MSS);
    onAck(s, 2 * MSS);
    expect(s.cwnd).toBe(20); // still recovering: no second halving
    const t = newTcpSender(MSS, 65_160, 1 << 24);
    write(t, MSS);
    writeXmit(t);
    markLost(t, MSS);
    expect(needsRto(t)).toBe(true);
    onRto(t);
    expect([t.cwnd, t.ssthresh, t.unsent, t.inFlight]).toEqual([1, 5, MSS, 0]);
  });

  it('builds skbs up to the GSO size from smaller writes while the window holds them back', () => {
    const s = newTcpSender(MSS, 65_160, 1 << 24);
    write(s, 16_384);
    // Nothing in flight: the first write goes at once, in whole segments up to the window (10 x 1448).
    expect(writeXmit(s)).toEqual([14_480]);
    for (let i = 0; i < 8; i++) write(s, 16_384);
    expect(writeXmit(s)).toEqual([]); // the window is full
    onAck(s, 14_480); // slow start: cwnd 20, 20 x 1448 = 28,960 bytes of room
    // Room for less than a GSO skb and less than a third of the window? Here 28,960 >= 28,960 / 3: send.
    expect(writeXmit(s)).toEqual([28_960]);
    s.cwnd = 1000;
    const big = writeXmit(s);
    expect(Math.max(...big)).toBe(65_160 - (65_160 % MSS));
    expect(big.reduce((a, b) => a + b, 0) + 14_480 + 28_960).toBe(9 * 16_384);
  });

  it('the receive window bounds what is in flight', () => {
    const s = newTcpSender(MSS, 65_160, 100_000);
    s.cwnd = 1000;
    write(s, 1 << 20);
    writeXmit(s);
    expect(s.inFlight).toBeLessThanOrEqual(100_000);
    expect(s.inFlight).toBeGreaterThan(100_000 - MSS);
  });
});

describe('TCP receiver (__tcp_ack_snd_check)', () => {
  it('quick-ACKs the first segments, then ACKs every second full segment', () => {
    const r = newTcpReceiver(MSS);
    for (let i = 0; i < TCP_MAX_QUICKACKS; i++) expect(onData(r, MSS).ack).toBe((i + 1) * MSS);
    const first = onData(r, MSS);
    expect(first).toEqual({ ack: 0, arm: true });
    const second = onData(r, MSS);
    expect(second.ack).toBe((TCP_MAX_QUICKACKS + 2) * MSS);
    // More than one segment at once (a GSO skb) is ACKed at once.
    expect(onData(r, 10 * MSS).ack).toBeGreaterThan(0);
  });

  it('a lone segment is ACKed by the delayed-ACK timer (40 ms); a stale timer sends nothing', () => {
    expect(TCP_DELACK_MIN_NS).toBe(40_000_000);
    const r = newTcpReceiver(MSS);
    r.quick = 0;
    const d = onData(r, 100);
    expect(d.arm).toBe(true);
    const gen = r.gen;
    expect(onDelackTimer(r, gen)).toBe(100);
    expect(onDelackTimer(r, gen)).toBe(0);
    onData(r, 100);
    onData(r, MSS); // 1548 > MSS: ACKed at once, the armed timer will find nothing
    expect(onDelackTimer(r, r.gen)).toBe(0);
  });
});

describe('TCP_STREAM through the simulator', () => {
  it('hands virtio skbs larger than the 16 KiB writes, and gets about one ACK per skb', () => {
    const s = small('per-device', 1, { durationS: 0.02, warmupS: 0.005 });
    s.workload.kind = 'TCP_STREAM';
    const sys = new SimSystem(s);
    sys.start();
    sys.kernel.run({ untilNs: 25_000_000 });
    const nic = sys.executor.read<NicContext>(sys.host.nicActor).stats;
    expect(nic.txBytes / nic.txPkts).toBeGreaterThan(16_384);
    const acks = sys.host.recorder.guest.acks;
    expect(Math.abs(acks - nic.txPkts)).toBeLessThanOrEqual(2);
  });

  it('with GSO off (one segment per skb) the receiver ACKs about every second segment', () => {
    const s = small('per-device', 1, { durationS: 0.02, warmupS: 0.005 });
    s.workload.kind = 'TCP_STREAM';
    s.workload.gsoBytes = MSS;
    const m = runScenario(s).metrics;
    const segs = (m.app.receivedGbps * 1e9) / 8 / MSS;
    expect(m.guestTx.acksPerSec / segs).toBeGreaterThan(0.45);
    expect(m.guestTx.acksPerSec / segs).toBeLessThan(0.55);
  });

  it('a lone small write is acknowledged by the delayed-ACK timer', () => {
    const s = small('per-device', 1, { durationS: 0.1, warmupS: 0 });
    s.workload.kind = 'TCP_STREAM';
    s.workload.messageBytes = 100;
    s.workload.windowBytes = 1; // one skb in flight at a time
    const sys = new SimSystem(s);
    sys.start();
    sys.kernel.run({ untilNs: 100_000_000 });
    expect(sys.host.recorder.guest.delayedAcks).toBeGreaterThan(0);
  });
});
