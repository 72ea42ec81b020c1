import type { Metrics } from '../metrics/summary.ts';
import { fmt, within } from './band.ts';
import { blockRows } from './blockRows.ts';
import { md1SojournNs, mm1SojournNs, mmcSojournNs } from './queueing.ts';
import type { Measured, RunMetrics, ValidationRow } from './row.ts';
import { sidecoreRows } from './sidecoreRows.ts';
import { zeroOverhead } from './zeroOverhead.ts';

/** λW over both directions from a run's per-packet metrics (W in µs, λ per second). */
function littleLambdaW(m: Metrics): number {
  const v = m.vhost;
  return (v.pktsPerSec.tx * v.pktSojournUsMean.tx + v.pktsPerSec.rx * v.pktSojournUsMean.rx) / 1e6;
}

/** A TX per-packet sojourn row against a closed form of the same arrival rate and service time. */
function sojournRow(
  id: string,
  name: string,
  service: 'exponential' | 'constant',
  formula: (rate: number, s: number) => number,
  formulaText: string,
): ValidationRow {
  const serviceNs = 10_000;
  const ratePerSec = 50_000;
  return {
    id,
    figure: `${name}: mean per-packet vhost sojourn`,
    published: `${formulaText} = ${fmt(formula(ratePerSec, serviceNs) / 1e3)} µs at λ = 50,000/s, S = 10 µs (ρ = 0.5)`,
    source: 'L. Kleinrock, Queueing Systems, Vol. 1: Theory (Wiley, 1975), §3.2 (M/M/1) and §5.6 (M/G/1)',
    setup:
      `One VM, per-device worker, OPEN_RR with Poisson arrivals at 50,000 requests/s; every cost zero but ` +
      `handle_tx's ${service} service of mean 10 µs (profile.costs.vhostTxPktNs, costDistribution ${service}).`,
    fitted: false,
    unit: 'µs',
    runs: { main: zeroOverhead({ serviceNs, service, ratePerSec, durationS: 1 }) },
    measure(m: RunMetrics): Measured {
      const v = m.main.vhost;
      // The theory at the arrival rate the run really had (the Poisson count of the window).
      const theory = formula(v.pktsPerSec.tx, serviceNs) / 1e3;
      return {
        value: v.pktSojournUsMean.tx,
        band: within(theory, 0.05),
        detail: `λ measured ${fmt(v.pktsPerSec.tx, 0)}/s; ${formulaText} at that λ = ${fmt(theory, 3)} µs`,
      };
    },
    why:
      '±5 % of the closed form: the sampling error of a mean sojourn over ~50,000 (short version ~12,000) ' +
      'correlated waits at ρ = 0.5 is 1–3 %; a model artefact (a wake-up or switch charged, a batch served ' +
      'out of order) moves it by more.',
    expected: 'pass',
  };
}

export const rows: ValidationRow[] = [
  {
    id: 'tcp-rr-1vm',
    figure: 'single-VM netperf TCP_RR, 1-byte messages',
    published: '12,931 and 14,151 transactions/s (before and after one virtio-net patch)',
    source:
      'M. S. Tsirkin, "[PATCH] virtio-net: put virtio net header inline with data", June 2013, ' +
      'https://thr3ads.net/linux-virtualization/2013/06/2836885-PATCH-virtio-net-put-virtio-net-header-inline-with-data',
    setup:
      'One VM, one vCPU, one virtio-net device, per-device vhost worker, one netperf TCP_RR instance to an ' +
      'external host, 1-byte request and response: the default scenario.',
    fitted: true,
    unit: 'transactions/s',
    runs: { main: { durationS: 1 } },
    measure: (m) => ({
      value: m.main.throughput.value,
      band: [12_931, 14_151],
      detail: `mean latency ${fmt(m.main.latencyUs.mean, 1)} µs`,
    }),
    why:
      'The two published figures of the era bracket what virtio-net + vhost-net reached for this test; ' +
      'profile.nic.peerTurnaroundNs was fitted so the default lands between them.',
    expected: 'pass',
  },
  sojournRow('mm1', 'M/M/1', 'exponential', mm1SojournNs, 'W = S / (1 − ρ)'),
  sojournRow('md1', 'M/D/1', 'constant', md1SojournNs, 'W = S + ρS / (2(1 − ρ))'),
  {
    id: 'little',
    figure: "Little's law L = λW for the packets in vhost",
    published: 'L = λW for any stable queue over a long window',
    source: 'J. D. C. Little, "A proof for the queuing formula L = λW", Operations Research 9(3), 1961',
    setup:
      'Four VMs, per-CPU workers, TCP_RR with 4 instances each, default costs (every overhead on): L is the ' +
      'time average of packets waiting for vhost (TX rings, RX sockets) plus in a handler segment, measured ' +
      'by integration; λW sums, over TX and RX, packets moved per second times their mean sojourn.',
    fitted: false,
    unit: 'packets',
    runs: { main: { model: 'per-cpu', vms: 4, workload: { instances: 4 }, durationS: 0.5 } },
    measure(m) {
      const lw = littleLambdaW(m.main);
      return {
        value: m.main.vhost.pktsWaitingMean + m.main.vhost.pktsInServiceMean,
        band: within(lw, 0.02),
        detail: `λW = ${fmt(lw, 4)}`,
      };
    },
    why:
      '±2 % of λW: the law is exact up to the packets in the system at the window edges, a few packets ' +
      'over tens of thousands; two independent measurements (an integral and per-packet timestamps) ' +
      'that disagree by more mean a packet counted in one and not the other.',
    expected: 'pass',
  },
  mmcRow(),
  {
    id: 'header-inline',
    figure: 'virtio-net header inline with the data: single-VM TCP_RR gain',
    published: '12,931.13 → 14,151.12 transactions/s (× 1.094)',
    source:
      'M. S. Tsirkin, "[PATCH] virtio-net: put virtio net header inline with data", June 2013, ' +
      'https://thr3ads.net/linux-virtualization/2013/06/2836885-PATCH-virtio-net-put-virtio-net-header-inline-with-data ' +
      '(torvalds/linux commit e7428e95a06f)',
    setup:
      'The default single-VM TCP_RR, 1-byte, run twice: the 2012 layout (header in a descriptor of its own, so a ' +
      'small packet is a 2-entry indirect table) and `--set guest.headerInline=true` (one direct descriptor). ' +
      'The gain comes only from the descriptor costs (profile.costs.guestDescNs, guestIndirectNs, vhostDescNs, ' +
      'vhostIndirectNs), which are stated assumptions, not fitted.',
    fitted: false,
    unit: '× transactions/s',
    runs: { before: { durationS: 1 }, after: { durationS: 1, guest: { headerInline: true } } },
    measure: (m) => ({
      value: m.after.throughput.value / m.before.throughput.value,
      band: [1 + 0.094 / 2, 1 + 0.094 * 1.5],
      detail: `${fmt(m.before.throughput.value, 0)} → ${fmt(m.after.throughput.value, 0)} transactions/s, mean latency ${fmt(m.before.latencyUs.mean, 1)} → ${fmt(m.after.latencyUs.mean, 1)} µs`,
    }),
    why:
      'Half to one and a half times the published +9.4 %: one 10-s run per kernel on an unnamed host, so the ' +
      'gain itself carries run-to-run noise of a few per cent.',
    expected: 'fail',
    explanation:
      'The descriptors a small packet no longer needs (one descriptor each side and the indirect table: ' +
      'kmalloc/kfree in the guest, get_indirect in vhost) cost ~0.45 µs of the 74 µs transaction at the ' +
      'assumed costs, so the gain is well under 1 %. Those costs already stand for the cache lines the 2012 ' +
      "layout adds (the header in skb->cb and the indirect table, written on the vCPU's core and read by " +
      "vhost's); no mechanism of the patch is left out. The published 6.6 µs per transaction is more than any " +
      'plausible descriptor cost explains (the calibration ranges reach ~1.4 µs); whatever else the patch ' +
      'changed (the skb linearisation path, cache footprint, run-to-run noise of one 10-s run) is not in the model.',
  },
  ...blockRows(),
  ...sidecoreRows(),
  streamRateRow('stream-exits', 'VM exits', (m) => m.exitsPerSec, 26_300),
  // Within its band since the guest TX path (issue 15) landed; it was about twice the published rate before.
  streamRateRow('stream-injections', 'interrupt injections', (m) => m.interruptsInjectedPerSec, 5_400),
  {
    id: 'stream-tx-2009',
    figure: 'early vhost-net TCP_STREAM, guest → external host',
    published: 'more than 5 Gbit/s',
    source:
      'linux-kvm.org VhostNet page (2009), as quoted on the vhost_net v9 thread (linux-mm/kvm lists, ' +
      '2009-11-18), http://www.linux-kvm.org/page/VhostNet',
    setup:
      'One VM, one vCPU, per-device worker, netperf TCP_STREAM (16 KiB sends, GSO/TSO on) to an external host ' +
      'over the 10GbE NIC.',
    fitted: false,
    unit: 'Gbit/s',
    runs: { main: { durationS: 0.2, workload: { kind: 'TCP_STREAM' } } },
    measure: (m) => ({
      value: m.main.throughput.value,
      band: [5, 10],
      detail: 'payload delivered to the peer',
    }),
    why: '"More than 5 Gb/s" on 10GbE: anything from 5 Gbit/s to the line rate meets it.',
    expected: 'pass',
  },
  {
    id: 'stream-rx-2009',
    figure: 'early vhost-net TCP_STREAM, external host → guest',
    published: 'more than 4 Gbit/s',
    source:
      'linux-kvm.org VhostNet page (2009), as quoted on the vhost_net v9 thread (linux-mm/kvm lists, ' +
      '2009-11-18), http://www.linux-kvm.org/page/VhostNet',
    setup:
      'One VM, one vCPU, per-device worker, netperf TCP_MAERTS: the external host streams to the guest over ' +
      'the 10GbE NIC (its TSO skbs merged back by the host GRO, handle_rx into mergeable RX buffers, the ' +
      "guest's receiver ACKing through handle_tx): workload.direction = rx.",
    fitted: false,
    unit: 'Gbit/s',
    runs: { main: { durationS: 0.2, workload: { kind: 'TCP_STREAM', direction: 'rx' } } },
    measure: (m) => ({
      value: m.main.throughput.value,
      band: [4, 10],
      detail: `payload delivered to the guest; ${fmt(m.main.vhost.pktsPerSec.rx, 0)} RX packets/s through vhost, ${fmt(m.main.guestTx.acksPerSec, 0)} ACKs/s back`,
    }),
    why: '"More than 4 Gb/s" on 10GbE: anything from 4 Gbit/s to the line rate meets it.',
    expected: 'pass',
  },
  {
    id: 'stream-mtu1500',
    figure: 'vhost-net TCP_STREAM with MTU 1500 and GRO off',
    published: '"more than 1 Gb/s"',
    source:
      'vhost_net v9 thread, 2009-11-18 (linux-mm/kvm lists), a tester reproducing http://www.linux-kvm.org/page/VhostNet ' +
      'with a raw socket, MTU 1500, host GRO off',
    setup:
      'As stream-tx-2009 but with no GSO through virtio: every virtio buffer is one 1448-byte MSS ' +
      '(workload.gsoBytes = 1448).',
    fitted: false,
    unit: 'Gbit/s',
    runs: { main: { durationS: 0.2, workload: { kind: 'TCP_STREAM', gsoBytes: 1448 } } },
    measure: (m) => ({
      value: m.main.throughput.value,
      band: [1, 2],
      detail: `${fmt(m.main.vhost.pktsPerSec.tx, 0)} TX packets/s through vhost`,
    }),
    why: '"More than 1 Gb/s" read as 1–2 Gbit/s: the tester contrasted it with the 4–5 Gbit/s of GSO-sized buffers.',
    // Passed since the guest TX path (issue 15: completions, queue stops) landed; it failed at 0.83 Gbit/s before.
    expected: 'pass',
  },
  {
    id: 'stream-mtu1500-rx',
    figure: 'vhost-net TCP_STREAM with MTU 1500 and host GRO off, read as the receive direction',
    published: '"more than 1 Gb/s"',
    source:
      'vhost_net v9 thread, 2009-11-18 (linux-mm/kvm lists), a tester reproducing http://www.linux-kvm.org/page/VhostNet ' +
      'with a raw socket, MTU 1500, host GRO off',
    setup:
      "As stream-rx-2009 but with the host's GRO off (profile.nic.gro = false): every 1,448-byte frame from " +
      'the peer crosses the host stack, vhost and the guest as a packet of its own. The tester did not say ' +
      'which direction; host GRO only acts on what the host receives, so this reading is as plausible as ' +
      "stream-mtu1500's.",
    fitted: false,
    unit: 'Gbit/s',
    runs: {
      main: {
        durationS: 0.2,
        workload: { kind: 'TCP_STREAM', direction: 'rx' },
        profile: { nic: { gro: false } },
      },
    },
    measure: (m) => ({
      value: m.main.throughput.value,
      band: [1, 2],
      detail: `${fmt(m.main.vhost.pktsPerSec.rx, 0)} RX packets/s through vhost`,
    }),
    why: 'As stream-mtu1500: "more than 1 Gb/s" read as 1–2 Gbit/s.',
    expected: 'pass',
  },
];

/**
 * An exit or injection rate of a 2-vCPU guest streaming at ~3 Gbit/s, compared per Gbit/s of payload
 * (the simulated stream runs at its own rate, not at the sample's 3 Gbit/s).
 */
function streamRateRow(
  id: string,
  what: string,
  rate: (m: Metrics) => number,
  published: number,
  fails?: string,
): ValidationRow {
  const perGbit = published / 3;
  return {
    id,
    figure: `${what} per Gbit/s of a 2-vCPU guest's TCP_STREAM`,
    published: `${fmt(published, 0)}/s at 3.0 Gbit/s (${fmt(perGbit, 0)} per Gbit/s)`,
    source:
      'https://gist.github.com/oraccha/491548 (2010: 1,580,323 kvm_exit and 326,072 kvm_inj_virq in 60 s, ' +
      'netperf TCP_STREAM 2,999.72 Mbit/s, 64 KB messages; whether vhost-net was used is not stated)',
    setup:
      'One VM with 2 vCPUs, per-device worker, TCP_STREAM with 64 KiB sends to an external host (the sample ' +
      'streamed to its own host); the rate is divided by the simulated Gbit/s.',
    fitted: false,
    unit: 'per Gbit/s',
    runs: { main: { durationS: 0.2, vcpusPerVm: 2, workload: { kind: 'TCP_STREAM', messageBytes: 65_536 } } },
    measure: (m) => ({
      value: rate(m.main) / m.main.throughput.value,
      band: [perGbit / 2, perGbit * 2],
      detail: `${fmt(rate(m.main), 0)}/s at ${fmt(m.main.throughput.value, 2)} Gbit/s`,
    }),
    why:
      'Within a factor of two: the sample is one 60-s trace of a 2010 host, guest to its own host (no NIC), ' +
      'with an unstated backend; exits and interrupts per byte depend on batching that differs between them.',
    ...(fails === undefined
      ? { expected: 'pass' as const }
      : { expected: 'fail' as const, explanation: fails }),
  };
}

/**
 * The per-CPU pool against M/M/c: many VMs, each with a light Poisson load, all served by the 4 pinned
 * workers of their node. M/M/c (one queue in front of the 4) is the best 4 servers can do; 4 separate
 * M/M/1 queues at a quarter of the load each is what a blind split gives.
 */
function mmcRow(): ValidationRow {
  const serviceNs = 10_000;
  const vms = 64;
  const servers = 4;
  const rho = 0.6;
  const perNode = (rho * servers * 1e9) / serviceNs;
  const ratePerSec = perNode / (vms / 2);
  return {
    id: 'mmc-per-cpu',
    figure: 'per-CPU worker pool (4 workers per node) against M/M/c (Erlang C)',
    published:
      `M/M/4 W = ${fmt(mmcSojournNs(servers, perNode, serviceNs) / 1e3)} µs; four M/M/1 at λ/4: ` +
      `${fmt(mm1SojournNs(perNode / servers, serviceNs) / 1e3)} µs (ρ = 0.6, S = 10 µs)`,
    source: 'L. Kleinrock, Queueing Systems, Vol. 1: Theory (Wiley, 1975), §3.5 (M/M/m, Erlang C)',
    setup:
      `${vms} VMs (32 per node), per-CPU model, OPEN_RR, Poisson ${fmt(ratePerSec, 0)} requests/s per VM ` +
      `(240,000/s per node), every cost zero but handle_tx's exponential 10 µs: the 4 pinned workers of ` +
      'a node serve its 32 VMs.',
    fitted: false,
    unit: 'µs',
    runs: {
      main: zeroOverhead({
        serviceNs,
        service: 'exponential',
        ratePerSec,
        durationS: 0.2,
        model: 'per-cpu',
        vms,
      }),
    },
    measure(m) {
      const v = m.main.vhost;
      const lambda = v.pktsPerSec.tx / 2;
      const pooled = mmcSojournNs(servers, lambda, serviceNs) / 1e3;
      const split = mm1SojournNs(lambda / servers, serviceNs) / 1e3;
      return {
        value: v.pktSojournUsMean.tx,
        band: [pooled, split],
        detail: `λ per node measured ${fmt(lambda, 0)}/s: M/M/4 ${fmt(pooled, 3)} µs, 4 × M/M/1 ${fmt(split, 3)} µs; ${fmt(v.pktsPerWork, 3)} packets per work`,
      };
    },
    why:
      'Between the two bounds: no 4 servers beat one shared FIFO queue (M/M/c), and the dispatcher, which ' +
      'sends each queued work to the worker with the fewest works, should do no worse than a blind split. ' +
      'It binds a work to its worker when queued (no stealing once a worker frees up), so it sits nearer ' +
      'the split than the pool.',
    expected: 'pass',
  };
}
