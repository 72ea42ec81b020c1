/**
 * What the executor itself costs per event, apart from the model: `entities` actors of one trivial machine
 * (one state; its one event's action sends the event on to the next actor 1-8 µs later, the load of the
 * hand-written loop in src/sweep/heapLoop.ts) run through the same parts as a simulation: the kernel's
 * queue, one RxJS `LinkSubject` per kind of actor, the port and the fast executor's generated dispatch. The
 * wiring is SimSystem's (src/runtime/system.ts) without a host. Set next to the loop and to the whole
 * model in one run, it splits an event's cost into machinery and the model's own actions.
 */
import { defineMachine } from '../machines/define.ts';
import type { Port, SimMsg } from '../machines/port.ts';
import { SimKernel } from '../src/kernel/simKernel.ts';
import { FastExecutor } from '../src/runtime/fastExecutor.ts';
import { type Delivery, LinkSubject, LinkSubscriber } from '../src/runtime/link.ts';
import { SimPort } from '../src/runtime/simPort.ts';

interface HopContext {
  next: number;
  /** xorshift state: the same cheap deterministic delay as the loop's. */
  x: number;
}

/**
 * Events of different shapes, as the model's machines exchange (`{type, gen}`, `{type, pkt, irq}`, ...):
 * with several kinds of actor, each sends its own, so the dispatch, the link and the kernel see as many
 * hidden classes as kinds.
 */
const shapes: (() => SimMsg)[] = [
  () => ({ type: 'hop' }),
  () => ({ type: 'hop', gen: 1 }),
  () => ({ type: 'hop', cpu: 0, dir: 'tx' }),
  () => ({ type: 'hop', pkt: null, irq: false }),
  () => ({ type: 'hop', dev: 0, flow: 0, gen: 0 }),
  () => ({ type: 'hop', wid: 0 }),
];

/** One kind of hop actor: its own machine (so its own generated dispatch) and its own event shape. */
function hopMachine(kind: number) {
  const make = shapes[kind % shapes.length];
  return defineMachine<HopContext, SimMsg>({
    id: `hop${kind}`,
    description: 'Passes each event on to the next actor after a delay of 1-8 µs.',
    initial: 'on',
    states: { on: { description: 'Always ready.', on: { hop: { actions: ['pass'] } } } },
    actions: {
      pass(ctx, _ev, port: Port) {
        let x = ctx.x;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        ctx.x = x;
        // A fresh event per message, as the model's actions send.
        port.send(ctx.next, make(), 1000 + ((x >>> 0) % 7000));
      },
    },
    guards: {},
  });
}

/**
 * Run `events` kernel events over `entities` hop actors of `kinds` kinds (actor i is of kind i mod kinds);
 * events per second by `now` (ms).
 */
export function machineryRate(
  entities: number,
  events: number,
  now: () => number,
  kinds = 1,
): { events: number; eventsPerSec: number } {
  const machines = Array.from({ length: kinds }, (_, k) => hopMachine(k));
  const kernel = new SimKernel();
  const links: LinkSubject[] = [];
  const port = new SimPort(kernel, (to, ev, delayNs) => links[to].next({ to, ev, delayNs }), null);
  const executor = new FastExecutor(port);
  port.executor = executor;
  const fire = (d: Delivery) => executor.deliver(d.to, d.ev);
  // One link per kind of actor, shared by its actors (a delivery names its receiver), as SimSystem has.
  const linkOfKind = machines.map(() => {
    const link = new LinkSubject();
    link.subscribe(new LinkSubscriber((d) => kernel.post(d.delayNs, fire, d)));
    return link;
  });
  for (let i = 0; i < entities; i++) {
    executor.spawn(machines[i % kinds], { next: (i + 1) % entities, x: 12345 + i });
    links.push(linkOfKind[i % kinds]);
  }
  for (let i = 0; i < entities; i++) links[i].next({ to: i, ev: { type: 'hop' }, delayNs: i * 1000 });
  const t0 = now();
  // Each actor fires every 4.5 µs on average: windows of 1 ms until enough events have fired.
  for (let t = 1_000_000; kernel.eventsFired < events; t += 1_000_000) {
    const before = kernel.eventsFired;
    kernel.run({ untilNs: t });
    if (kernel.eventsFired === before) throw new Error('machinery: the hop actors stopped passing events');
  }
  const ms = now() - t0;
  return { events: kernel.eventsFired, eventsPerSec: (kernel.eventsFired / ms) * 1000 };
}
