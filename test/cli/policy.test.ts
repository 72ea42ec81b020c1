import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RoundRobinPerNodePolicy } from '../../docs/examples/roundRobinPerNode.ts';
import { loadPolicyModule, PolicyModuleError } from '../../src/policies/module.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { runPoints } from '../../src/sweep/sweep.ts';
import { ROOT, runCli } from '../cliRun.ts';

/** `--policy <module>`: a policy of one's own in `run`, in sweeps (worker threads import it) and as data. */
const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-policy-'));
// A user's plain JavaScript policy: one shared worker pinned to core 0 runs every work.
const oneWorker = join(tmp, 'one-worker.mjs');
writeFileSync(
  oneWorker,
  `export default class OneWorker {
  name = 'one-worker';
  picks = 0;
  createWorkers() {
    return [{ name: 'one', allowed: [0], vm: -1, mode: 'sleep', datapath: 'kernel', busyPollNs: 0 }];
  }
  selectWorker() { this.picks++; return 0; }
  workFinished() {}
}
`,
);
/** Child processes and worker threads on a shared, loaded machine. */
const SLOW = 180_000;
const SHORT = ['--duration', '0.004', '--warmup', '0.002'];
const example = join(ROOT, 'docs/examples/roundRobinPerNode.ts');

describe('policy modules', () => {
  it(
    'run --policy uses the module: vhost time only on its worker core, and the policy is recorded',
    async () => {
      const r = await runCli(['run', '--vms', '3', ...SHORT, '--policy', oneWorker, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.meta.policy).toBe(oneWorker);
      const vhostCores = doc.metrics.perCpu
        .filter((c: { vhost: number }) => c.vhost > 0)
        .map((c: { cpu: number }) => c.cpu);
      expect(vhostCores).toEqual([0]);
    },
    SLOW,
  );

  it(
    'run --policy gives the library run with the same policy, byte for byte',
    async () => {
      const r = await runCli(['run', '--vms', '4', ...SHORT, '--policy', example, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const scenario = resolveScenario({ vms: 4, durationS: 0.004, warmupS: 0.002 });
      const lib = runScenario(scenario, { policy: new RoundRobinPerNodePolicy() });
      expect(JSON.parse(r.stdout).metrics).toEqual(JSON.parse(JSON.stringify(lib.metrics)));
    },
    SLOW,
  );

  it(
    'a sweep on worker threads loads the module in each thread: same results as in-process',
    async () => {
      const scenarios = [1, 2, 3].map((vms) => resolveScenario({ vms, durationS: 0.004, warmupS: 0.002 }));
      const one = await runPoints(scenarios, { jobs: 1, policyModule: oneWorker });
      const two = await runPoints(scenarios, { jobs: 2, policyModule: oneWorker });
      expect(one.failures).toEqual([]);
      expect(two.outcomes).toEqual(one.outcomes);
      for (const r of one.results)
        expect(r.metrics.perCpu.filter((c) => c.vhost > 0).map((c) => c.cpu)).toEqual([0]);
    },
    SLOW,
  );

  it(
    'sweep --policy --jobs 2 writes the policy into meta.json',
    async () => {
      const out = join(tmp, 'sweep');
      const r = await runCli(
        [
          'sweep',
          '--models',
          'per-device',
          '--vms-list',
          '1,2',
          ...SHORT,
          '--jobs',
          '2',
          '--no-charts',
        ].concat(['--policy', oneWorker, '--out', out, '--format', 'json']),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')).policy).toBe(oneWorker);
    },
    SLOW,
  );

  it(
    'refuses a module without a policy, a missing file, two models, and --queue, in one line (exit 2)',
    async () => {
      const notPolicy = join(tmp, 'not-policy.mjs');
      writeFileSync(notPolicy, 'export default 42;\n');
      const bad = await runCli(['run', ...SHORT, '--policy', notPolicy]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(
        /^vhost-sim: error: --policy file:.*not-policy\.mjs: expected a default \(or createPolicy\) export .* got number\n$/,
      );
      const missing = await runCli(['run', ...SHORT, '--policy', join(tmp, 'nope.mjs')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /^vhost-sim: error: --policy file:.*nope\.mjs: cannot load the module: .*\n$/,
      );
      const two = await runCli(['sweep', '--vms-list', '1', ...SHORT, '--no-charts', '--policy', oneWorker]);
      expect(two.code).toBe(2);
      expect(two.stderr).toMatch(/--policy replaces the model/);
      await expect(
        runPoints([resolveScenario({})], { policyModule: oneWorker, queue: { url: 'redis://127.0.0.1:1' } }),
      ).rejects.toThrow(PolicyModuleError);
    },
    SLOW,
  );

  it('takes a (scenario) => Policy function as well as a class, and makes a fresh policy per run', async () => {
    const fnModule = join(tmp, 'factory.mjs');
    writeFileSync(
      fnModule,
      `import OneWorker from './one-worker.mjs';\nexport default (scenario) => Object.assign(new OneWorker(), { vms: scenario.vms });\n`,
    );
    const make = await loadPolicyModule(fnModule);
    const a = make(resolveScenario({ vms: 2 }));
    const b = make(resolveScenario({ vms: 3 }));
    expect(a).not.toBe(b);
    expect((a as unknown as { vms: number }).vms).toBe(2);
  });
});
