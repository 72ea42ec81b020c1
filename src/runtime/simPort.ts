import type { ActorId, Port, SimMsg } from '../../machines/port.ts';
import type { Host } from '../host/host.ts';
import type { SimKernel } from '../kernel/simKernel.ts';
import type { Executor } from './executor.ts';

/** The port both executors hand to actions; `self` follows nested synchronous calls. */
export class SimPort implements Port {
  self: ActorId = -1;
  host!: Host;
  executor!: Executor;

  constructor(
    private readonly kernel: SimKernel,
    private readonly link: (to: ActorId, ev: SimMsg, delayNs: number) => void,
    /** Applied to every event before it leaves (the XState side undrafts); null: events go as they are. */
    private readonly sanitize: ((ev: SimMsg) => SimMsg) | null,
  ) {}

  get nowNs(): number {
    return this.kernel.nowNs;
  }

  send(to: ActorId, ev: SimMsg, delayNs = 0): void {
    this.link(to, this.sanitize === null ? ev : this.sanitize(ev), delayNs);
  }

  call(to: ActorId, ev: SimMsg): void {
    const saved = this.self;
    this.executor.deliver(to, this.sanitize === null ? ev : this.sanitize(ev));
    this.self = saved;
  }

  read<T>(id: ActorId): T {
    return this.executor.read<T>(id);
  }
}
