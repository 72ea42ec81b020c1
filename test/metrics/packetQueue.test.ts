import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/host/recorder.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

const recorder = () => new Recorder(1, 1, [0], [0]);

describe('per-packet vhost queue metrics', () => {
  it('integrates packets waiting and in service over time (hand-made timeline)', () => {
    const r = recorder();
    r.reset(100);
    r.vhostQueue(100, 1, 0); // a packet arrives at 100
    r.vhostQueue(110, 1, 0); // another at 110
    r.vhostQueue(130, -1, 1); // the first enters service at 130
    r.pktServed(150, 'tx', 50); // and leaves at 150
    r.integrate(200);
    // waiting: 1 over [100,110), 2 over [110,130), 1 over [130,200) = 10 + 40 + 70
    expect(r.waitingAreaNs).toBe(120);
    // in service: 1 over [130,150)
    expect(r.inServiceAreaNs).toBe(20);
    expect(r.txPkts).toBe(1);
    expect(r.txSojournNs).toBe(50);
  });

  it('a reset keeps the packets in the system but restarts the integrals at its time', () => {
    const r = recorder();
    r.vhostQueue(0, 2, 0);
    r.reset(1_000);
    r.integrate(1_010);
    expect(r.pktsWaiting).toBe(2);
    expect(r.waitingAreaNs).toBe(20);
  });

  // Little's law L = λW holds for any stable system over a long window; the small remainder is the
  // packets in the system at the window's edges (a saturated stream, with a full ring that waits for
  // milliseconds, needs a far longer window than a test can afford).
  test.prop(
    [
      fc.constantFrom('TCP_RR', 'OPEN_RR'),
      fc.constantFrom('per-device', 'per-cpu'),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 50 }),
    ],
    { numRuns: 6 },
  )(
    'Little: time-average packets in vhost = throughput x mean sojourn (%s, %s)',
    (kind, model, vms, seed) => {
      const s = resolveScenario({
        model,
        vms,
        seed,
        durationS: 0.02,
        warmupS: 0.005,
        workload: { kind, instances: 2, ratePerSec: 20_000 },
      });
      const v = runScenario(s).metrics.vhost;
      const lambdaW =
        (v.pktsPerSec.tx * v.pktSojournUsMean.tx + v.pktsPerSec.rx * v.pktSojournUsMean.rx) / 1e6;
      const l = v.pktsWaitingMean + v.pktsInServiceMean;
      expect(l).toBeGreaterThan(0);
      expect(Math.abs(l - lambdaW) / l).toBeLessThan(0.05);
    },
  );

  it('the largest handler run is bounded by the packet weight and at least the mean', () => {
    const s = resolveScenario({
      durationS: 0.01,
      warmupS: 0.002,
      vhost: { weightPkts: 16 },
      workload: { kind: 'UDP_STREAM' },
    });
    const v = runScenario(s).metrics.vhost;
    expect(v.pktsPerWorkMax).toBeLessThanOrEqual(16);
    expect(v.pktsPerWorkMax).toBeGreaterThanOrEqual(v.pktsPerWork);
    expect(v.pktsPerWorkMax).toBeGreaterThan(1);
  });
});
