import { describe, expect, it } from 'vitest';
import { CAT_SWITCH, categories } from '../../src/host/categories.ts';
import type { ModelName } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { drive, small } from '../runtime/drive.ts';

const models: ModelName[] = ['per-device', 'per-cpu'];

describe('pcpu: context-switch overhead is a cost of the mechanism', () => {
  it.each(models)('%s: default costs -> switch time > 0', (model) => {
    const m = runScenario(small(model, 2, { durationS: 0.02 })).metrics;
    expect(m.cpuBreakdown.switch).toBeGreaterThan(0);
    expect(m.coreSwitchesPerSec).toBeGreaterThan(0);
  });

  it.each(models)(
    '%s: ctxSwitchNs = cacheRefillNs = 0 -> switch time exactly 0, switches still counted',
    (model) => {
      const s = small(model, 2, { durationS: 0.02 });
      s.profile.costs.ctxSwitchNs = 0;
      s.profile.costs.cacheRefillNs = 0;
      const { sys } = drive(s);
      const r = sys.host.recorder;
      for (let cpu = 0; cpu < sys.topo.cpus; cpu++)
        expect(r.cpuNs[cpu * categories.length + CAT_SWITCH]).toBe(0);
      const m = runScenario(s).metrics;
      expect(m.cpuBreakdown.switch).toBe(0);
      expect(m.coreSwitchesPerSec).toBeGreaterThan(0);
      expect(m.contextSwitchesPerSec.voluntary).toBeGreaterThan(0);
    },
  );

  it('ctxSwitchNs = 0 alone: free while each thread has a core to itself, refills once cores are shared', () => {
    // 2 VMs: 4 threads on 8 cores, every thread finds its own cache warm (nothing ran in between).
    const alone = small('per-device', 2, { durationS: 0.02 });
    alone.profile.costs.ctxSwitchNs = 0;
    expect(runScenario(alone).metrics.cpuBreakdown.switch).toBe(0);
    // 8 VMs: 16 threads on 8 cores, cold switches pay the cache refill.
    const shared = small('per-device', 8, { durationS: 0.02 });
    shared.profile.costs.ctxSwitchNs = 0;
    expect(runScenario(shared).metrics.cpuBreakdown.switch).toBeGreaterThan(0);
  });
});
