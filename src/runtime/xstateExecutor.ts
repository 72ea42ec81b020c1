import { type AnyActorRef, createActor } from 'xstate';
import { type SimMachine, withPort } from '../../machines/define.ts';
import type { SimKernel } from '../kernel/simKernel.ts';
import { createSimClock } from '../kernel/xstateClock.ts';
import type { ActorId, SimMsg } from '../model/actor.ts';
import type { Executor } from './executor.ts';
import type { SimPort } from './simPort.ts';

/**
 * Live XState actors: each machine runs in the XState interpreter (inspectable), on the simulation clock.
 * Events are sent synchronously; the actions reach the simulation through the bound port.
 */
export class XStateExecutor implements Executor {
  readonly kind = 'xstate' as const;
  readonly actors: AnyActorRef[] = [];
  private readonly clock;

  constructor(
    private readonly port: SimPort,
    kernel: SimKernel,
    private readonly inspect?: (ev: unknown) => void,
  ) {
    this.clock = createSimClock(kernel);
  }

  // biome-ignore lint/suspicious/noExplicitAny: executors hold machines of every context type.
  spawn(def: SimMachine<any, SimMsg>, context: object): ActorId {
    const id = this.actors.length;
    const actor = createActor(def.machine, {
      input: context,
      clock: this.clock,
      inspect: this.inspect,
      id: `a${id}`,
    });
    this.actors.push(actor);
    this.port.self = id;
    withPort(this.port, () => actor.start());
    return id;
  }

  deliver(id: ActorId, ev: SimMsg): void {
    this.port.self = id;
    withPort(this.port, () => this.actors[id].send(ev));
  }

  read<T>(id: ActorId): T {
    return this.actors[id].getSnapshot().context as T;
  }

  stateOf(id: ActorId): string {
    return String(this.actors[id].getSnapshot().value);
  }
}
