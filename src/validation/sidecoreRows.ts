import type { Metrics } from '../metrics/summary.ts';
import type { ScenarioInput } from '../scenario/resolve.ts';
import { fmt } from './band.ts';
import type { ValidationRow } from './row.ts';

const ELVIS =
  'Har\'El, Gordon, Landau, Ben-Yehuda, Traeger, Ladelsky, "Efficient and Scalable Paravirtual I/O System", ' +
  'USENIX ATC 2013, abstract: https://research.ibm.com/publications/efficient-and-scalable-paravirtual-io-system';
const SIDECOREM =
  'E. Moscovici, "Dynamic I/O core management" (SidecoreM), Technion MSc thesis 2017, abstract: ' +
  'http://ftp.cs.technion.ac.il/users/wwwb/cgi-bin/tr-info.cgi/2017/MSC/MSC-2017-09';

/** Many guests, the regime both papers are about: 32 one-vCPU VMs, TCP_RR, on the default host. */
function manyGuests(model: 'per-device' | 'sidecore', sidecoresPerNode = 1): ScenarioInput {
  return { model, vms: 32, durationS: 0.1, policy: { sidecoresPerNode } };
}

const tps = (m: Metrics) => `${fmt(m.throughput.value / 1e3, 1)}k`;

export function sidecoreRows(): ValidationRow[] {
  return [
    {
      id: 'elvis',
      figure: 'ELVIS: dedicated I/O cores with exitless notifications against baseline vhost, many guests',
      published: '1.2× – 3× the baseline (which "significantly degrade[s] with increasing number of guests")',
      source: ELVIS,
      setup:
        'As the abstract describes the design: I/O for many guests served by polling threads on dedicated cores ' +
        '(one per socket here, kept free of vCPUs), exitless guest notifications both ways; the baseline is ' +
        "per-device vhost. The paper's own configurations were not retrieved; simulated with 32 one-vCPU VMs, " +
        'netperf TCP_RR, on the default 8-core host, model sidecore against per-device.',
      fitted: false,
      unit: '× transactions/s',
      runs: { baseline: manyGuests('per-device'), elvis: manyGuests('sidecore') },
      measure: (m) => ({
        value: m.elvis.throughput.value / m.baseline.throughput.value,
        band: [1.2, 3],
        detail:
          `per-device ${tps(m.baseline)} (${fmt(m.baseline.throughput.value / 32, 0)} per VM), ` +
          `sidecore ${tps(m.elvis)} transactions/s; sidecore efficiency ` +
          `${fmt(m.elvis.efficiency.value / m.baseline.efficiency.value, 2)}× per-device`,
      }),
      why: 'The published range itself: the abstract gives no per-configuration figure.',
      expected: 'fail',
      explanation:
        'The baseline does degrade with guests (per VM about half of one VM alone, tcp-rr-1vm), but the sidecores do ' +
        'worse: two of them (a quarter of an 8-core host) serve 32 guests and are saturated, 80 % vhost and ' +
        "20 % the host NIC's receive interrupts (ATR steers them to the core that sent on the flow), while " +
        'the vCPU cores sit half idle. The vhost time is mostly the cost of changing VM: three handler runs ' +
        "per transaction are another VM's, each a TLB flush (no PCID) and an L3 refill of that VM's working " +
        'set; with those costs at zero the sidecores reach 0.86× (docs/reproduction.md, "Sidecore polling"). ' +
        'With one VM the same design is ahead ' +
        "(no kick exits, exitless interrupts). ELVIS's hosts, core counts and workloads were not retrieved.",
    },
    {
      id: 'sidecorem',
      figure: 'SidecoreM: the best number of I/O cores for the load against notification-based vhost',
      published: 'up to 2.2× the traditional (notification) paravirtual I/O',
      source: SIDECOREM,
      setup:
        'SidecoreM picks between notifications and polling sidecores, and how many, by load. Simulated as the ' +
        'best static choice for one load, which a manager that has converged holds: 32 one-vCPU VMs, TCP_RR, ' +
        'default host, the best of 1, 2 and 3 sidecores per socket against per-device.',
      fitted: false,
      unit: '× transactions/s',
      runs: {
        baseline: manyGuests('per-device'),
        one: manyGuests('sidecore', 1),
        two: manyGuests('sidecore', 2),
        three: manyGuests('sidecore', 3),
      },
      measure(m) {
        const best = Math.max(m.one.throughput.value, m.two.throughput.value, m.three.throughput.value);
        return {
          value: best / m.baseline.throughput.value,
          band: [1 + 1.2 / 2, 1 + 1.2 * 1.5],
          detail:
            `per-device ${tps(m.baseline)}; sidecores per socket 1: ${tps(m.one)}, 2: ${tps(m.two)}, ` +
            `3: ${tps(m.three)} transactions/s`,
        };
      },
      why:
        'Half to one and a half times the published gain (+120 %), the convention of the other ratio rows; ' +
        '"up to" makes 2.2× the best case the thesis saw, so the band is read around it.',
      expected: 'fail',
      explanation:
        'No count of sidecores beats per-device by much at this load: one per socket saturates (see the elvis ' +
        'row), three leave one core per socket to 16 vCPUs, and two at best match the baseline. What a ' +
        "sidecore removes is the guest kicks and the interrupt-delivery exits; the host NIC's receive " +
        "interrupts remain and land on the sidecores. The thesis's host, guests and workloads were not " +
        'retrieved, so which of them gave 2.2× is not known.',
    },
  ];
}
