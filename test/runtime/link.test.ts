import { readFileSync } from 'node:fs';
import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { type Delivery, LinkSubject, LinkSubscriber } from '../../src/runtime/link.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { small } from './drive.ts';

/**
 * LinkSubject's fast path reads `Subject.observers`, which RxJS 7 exposes and marks to become internal in
 * version 8. These tests pin that contract, so an RxJS upgrade that changes it fails here, loudly, instead
 * of silently slowing the hot path or changing delivery.
 */
const d = (n: number): Delivery => ({ to: n, ev: { type: 'x' }, delayNs: 0 });

describe('LinkSubject and the RxJS contract it relies on', () => {
  it('runs on RxJS 7 (the version whose internals were measured)', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../node_modules/rxjs/package.json', import.meta.url), 'utf8'),
    );
    expect(pkg.version).toMatch(/^7\./);
  });

  it('Subject.observers is a public array that holds each subscriber', () => {
    const s = new Subject<number>();
    expect(Array.isArray(s.observers)).toBe(true);
    const sub = s.subscribe(() => {});
    expect(s.observers).toHaveLength(1);
    sub.unsubscribe();
    expect(s.observers).toHaveLength(0);
  });

  it('with one LinkSubscriber, next hands the value straight to it, without Subject.next', () => {
    const link = new LinkSubject();
    const got: Delivery[] = [];
    link.subscribe(new LinkSubscriber((x) => got.push(x)));
    const slow = vi.spyOn(Subject.prototype, 'next');
    link.next(d(1));
    link.next(d(2));
    expect(slow).not.toHaveBeenCalled();
    slow.mockRestore();
    expect(got.map((x) => x.to)).toEqual([1, 2]);
  });

  it('every other case delivers exactly as a plain Subject does', () => {
    for (const subscribers of [0, 2]) {
      const plain = new Subject<Delivery>();
      const link = new LinkSubject();
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < subscribers; i++) {
        plain.subscribe((x) => a.push(x.to * 10 + i));
        link.subscribe((x) => b.push(x.to * 10 + i));
      }
      plain.next(d(1));
      link.next(d(1));
      plain.complete();
      link.complete();
      plain.next(d(2));
      link.next(d(2));
      expect(b).toEqual(a);
    }
  });

  it('a completed link with its one subscriber delivers nothing more', () => {
    const link = new LinkSubject();
    const got: number[] = [];
    link.subscribe(new LinkSubscriber((x) => got.push(x.to)));
    link.next(d(1));
    link.complete();
    link.next(d(2));
    expect(got).toEqual([1]);
  });
});

describe('SimSystem: one link per kind of actor', () => {
  it('actors of one machine share one Subject with one subscriber, whatever the number of VMs', () => {
    for (const vms of [1, 4]) {
      const sys = new SimSystem(small('per-device', vms));
      const links = new Set(sys.links);
      // pcpu, NIC, virtqueue (TX and RX), vCPU, vhost worker: five machines.
      expect(links.size).toBe(5);
      for (const link of links) expect(link.observers).toHaveLength(1);
    }
  });

  it('a delivery on a shared link reaches only the actor it names', () => {
    const sys = new SimSystem(small('per-device', 2));
    const [a, b] = sys.host.vcpuActor.map((ids) => ids[0]);
    expect(sys.links[a]).toBe(sys.links[b]);
    const seen: number[] = [];
    const deliver = sys.executor.deliver.bind(sys.executor);
    sys.executor.deliver = (id, ev) => {
      if (ev.type === 'vcpu.start') seen.push(id);
      deliver(id, ev);
    };
    sys.links[b].next({ to: b, ev: { type: 'vcpu.start' }, delayNs: 5 });
    sys.links[a].next({ to: a, ev: { type: 'vcpu.start' }, delayNs: 3 });
    sys.kernel.run({ untilNs: 10 });
    expect(seen).toEqual([a, b]);
  });
});
