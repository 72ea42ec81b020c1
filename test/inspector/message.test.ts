import { describe, expect, it } from 'vitest';
import { describePayload } from '../../src/inspector/message.ts';

describe('describePayload', () => {
  it('names a packet by id, ends, kind, size and flow; other fields as key=value', () => {
    const pkt = { id: 12, src: 3, dst: -1, dev: 0, flow: 6, bytes: 1, kind: 'req', ack: 0, bornNs: 5 };
    expect(describePayload({ type: 'nic.tx', pkt, cpu: 2 })).toBe('pkt#12 vm3→peer req 1B flow6 cpu=2');
    expect(describePayload({ type: 'work.queued', wid: 3, cpu: -1 })).toBe('wid=3 cpu=-1');
    expect(describePayload({ type: 'rq.wake' })).toBe('');
  });

  it('cuts long payloads', () => {
    const text = describePayload({ type: 'poll.assign', wids: Array.from({ length: 100 }, (_, i) => i) });
    expect(text).toBe('wids=[0,1,2,3,4,5,6,7,…]');
    expect(describePayload({ type: 'x', a: 'y'.repeat(500) }).length).toBe(120);
  });
});
