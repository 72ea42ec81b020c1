import { readFileSync } from 'node:fs';
import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { type Delivery, LinkSubject, LinkSubscriber } from '../../src/runtime/link.ts';

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
