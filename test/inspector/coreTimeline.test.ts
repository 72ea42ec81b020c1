import { describe, expect, it } from 'vitest';
import { CoreTimeline } from '../../src/inspector/coreTimeline.ts';
import { InspectorSession } from '../../src/inspector/session.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

describe('CoreTimeline', () => {
  it('closes a segment when the state, thread or VM changes, and ignores repeats', () => {
    const t = new CoreTimeline(2, 1000);
    t.note(0, 0, 'idle', null, -1);
    t.note(0, 10, 'switching', 'vm1.vcpu0', 1);
    t.note(0, 12, 'switching', 'vm1.vcpu0', 1); // no change
    t.note(0, 20, 'running', 'vm1.vcpu0', 1);
    t.note(1, 5, 'running', 'vhost-cpu1', 0);
    t.note(1, 30, 'running', 'vhost-cpu1', 2); // the shared worker now serves VM 2
    expect(t.view(50)).toEqual([
      [
        [0, 10, 'idle', null, -1],
        [10, 20, 'switching', 'vm1.vcpu0', 1],
        [20, 50, 'running', 'vm1.vcpu0', 1],
      ],
      [
        [5, 30, 'running', 'vhost-cpu1', 0],
        [30, 50, 'running', 'vhost-cpu1', 2],
      ],
    ]);
  });

  it('cuts the view to its window and forgets what is older than it keeps', () => {
    const t = new CoreTimeline(1, 100);
    t.note(0, 0, 'running', 'a', 0);
    t.note(0, 50, 'idle', null, -1);
    t.note(0, 300, 'running', 'b', 1);
    expect(t.view(320, 40)).toEqual([
      [
        [280, 300, 'idle', null, -1],
        [300, 320, 'running', 'b', 1],
      ],
    ]);
    // [0, 50) ended more than 100 ns before 300: gone.
    expect(t.view(320, 1000)[0][0]).toEqual([50, 300, 'idle', null, -1]);
  });
});

describe("the session's core timeline", () => {
  it("tiles each core's recent time with the pcpu states, and a running vCPU is its own VM's", () => {
    const s = new InspectorSession({
      scenario: resolveScenario({ vms: 2 }),
      models: ['per-device', 'per-cpu'],
      paused: true,
    });
    s.setViewers(1);
    s.runUntil(400_000);
    for (const sys of s.state().systems) {
      let running = 0;
      for (const segs of sys.timeline.cores) {
        for (let i = 1; i < segs.length; i++) expect(segs[i][0]).toBe(segs[i - 1][1]); // no gaps, no overlaps
        // A core no delivery reached yet was idle throughout: no segment.
        if (segs.length > 0) expect(segs.at(-1)?.[1]).toBe(400_000);
        for (const [a, b, state, thread, vm] of segs) {
          expect(b).toBeGreaterThan(a);
          expect(['idle', 'waking', 'irq', 'switching', 'running']).toContain(state);
          const m = /^vm(\d+)\.vcpu/.exec(thread ?? '');
          if (state === 'running' && m) {
            expect(vm).toBe(Number(m[1]));
            running++;
          }
        }
      }
      expect(running).toBeGreaterThan(0);
    }
  });
});
