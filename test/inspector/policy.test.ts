import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/inspector/commands.ts';
import { InspectorSession } from '../../src/inspector/session.ts';
import { readTotals } from '../../src/inspector/snapshot.ts';
import type { Policy, WorkerSpec } from '../../src/policies/policy.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { track } from '../children.ts';
import { BIN, runCli } from '../cliRun.ts';

/** A policy module of the user's own in the inspector (`inspect --policy`), beside a built-in model. */
const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-inspect-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One shared worker pinned to core 0 runs every work; it counts its picks. */
class OneWorker implements Policy {
  name = 'one-worker';
  picks = 0;
  createWorkers(): WorkerSpec[] {
    return [{ name: 'one', allowed: [0], vm: -1, mode: 'sleep', datapath: 'kernel', busyPollNs: 0 }];
  }
  selectWorker(): number {
    this.picks++;
    return 0;
  }
  workFinished(): void {}
}
const moduleFile = join(dir, 'one-worker.mjs');
writeFileSync(
  moduleFile,
  `export default class OneWorker {
  name = 'one-worker';
  createWorkers() { return [{ name: 'one', allowed: [0], vm: -1, mode: 'sleep', datapath: 'kernel', busyPollNs: 0 }]; }
  selectWorker() { return 0; }
  workFinished() {}
}
`,
);

describe('InspectorSession with a policy module', () => {
  const made: OneWorker[] = [];
  const session = () =>
    new InspectorSession({
      scenario: resolveScenario({ vms: 2, seed: 3 }),
      models: ['per-device', 'one-worker'],
      policies: new Map([['one-worker', () => made[made.push(new OneWorker()) - 1] as OneWorker]]),
      paused: true,
    });

  it('runs the policy on its side, the model on the other, and offers the policy among the models', () => {
    made.length = 0;
    const s = session();
    s.runUntil(300_000);
    const [model, policy] = s.sides;
    expect(policy?.model).toBe('one-worker');
    expect(policy?.sys.host.workerActor).toHaveLength(1);
    expect(model?.sys.host.workerActor.length).toBeGreaterThan(1);
    expect(made).toHaveLength(1);
    expect(made[0]?.picks).toBeGreaterThan(0);
    expect(s.hello(null).allModels).toContain('one-worker');
    const pick = '{"type":"models","models":["one-worker","per-cpu"]}';
    expect(parseCommand(pick, s.models, s.allModels).ok).toBe(true);
    expect(parseCommand(pick, s.models).ok).toBe(false); // not a built-in model
  });

  it('builds a fresh policy for each rebuild: a step back replays to the same state', () => {
    made.length = 0;
    const s = session();
    s.runUntil(200_000);
    const before = s.sides.map((side) => readTotals(side.sys));
    s.stepBack(50);
    while (s.pump()) {}
    s.runUntil(200_000);
    expect(made).toHaveLength(2);
    expect(s.sides.map((side) => readTotals(side.sys))).toEqual(before);
  });

  it("refuses a label that is a built-in model's name", () => {
    expect(
      () =>
        new InspectorSession({
          scenario: resolveScenario({ vms: 1 }),
          models: ['per-cpu'],
          policies: new Map([['per-cpu', () => new OneWorker()]]),
        }),
    ).toThrow(/built-in model/);
  });
});

describe('vhost-sim inspect --policy', () => {
  it('serves the policy beside --model, named by the policy', async () => {
    const child = track(
      spawn(
        process.execPath,
        [
          BIN,
          'inspect',
          '--policy',
          moduleFile,
          '--model',
          'per-device',
          '--vms',
          '2',
          '--port',
          '0',
          '--paused',
        ],
        { env: { ...process.env, CI: '1' } },
      ),
    );
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (d) => {
          text += d;
          if (/Ctrl-C/.test(text)) resolve(text);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
      });
      expect(out).toMatch(/^vhost-sim inspector: http:\/\/127\.0\.0\.1:\d+\//);
      expect(out).toContain('2 VMs, per-device vs one-worker');
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('refuses a module without a policy, and a third side, in one line (exit 2)', async () => {
    const notPolicy = join(dir, 'not-policy.mjs');
    writeFileSync(notPolicy, 'export default 42;\n');
    const bad = await runCli(['inspect', '--policy', notPolicy, '--port', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^vhost-sim: error: --policy file:.*not-policy\.mjs: expected a default .*\n$/,
    );
    const three = await runCli([
      'inspect',
      '--policy',
      moduleFile,
      '--model',
      'per-device',
      '--model',
      'per-cpu',
    ]);
    expect(three.code).toBe(2);
    expect(three.stderr).toBe(
      'vhost-sim: error: --policy takes one of the 2 sides: give at most one --model\n',
    );
  }, 60_000);
});
