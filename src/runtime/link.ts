import { config, Subject, Subscriber } from 'rxjs';
import type { ActorId, SimMsg } from '../model/actor.ts';

/** A message on its way along a link into an actor. */
export interface Delivery {
  to: ActorId;
  ev: SimMsg;
  delayNs: number;
  /** The sending actor (-1: the kernel), recorded only while a trace is taken. */
  from?: ActorId;
}

/**
 * The only subscriber of an actor's link. A `Subscriber` subclass, so the `Subject` calls it directly
 * instead of through the `SafeSubscriber` wrapper a plain callback gets (one call and one try/catch less
 * per message; an error while scheduling reaches the sender synchronously instead of being reported
 * asynchronously by RxJS).
 */
export class LinkSubscriber extends Subscriber<Delivery> {
  constructor(private readonly accept: (d: Delivery) => void) {
    super();
  }

  protected override _next(d: Delivery): void {
    this.accept(d);
  }
}

/**
 * An actor's inbound link: a plain RxJS `Subject` whose `next` skips, in the one case the simulation uses
 * (exactly one subscriber, the link open), the wrapping that `Subject.next` does for every message: an
 * `errorContext` closure and an ES5 iterator over a snapshot of the observers (3 objects per message, ~15 %
 * of a run's time). Handing the value to the single observer is exactly what that loop would do; any other
 * case (no or several observers, completed or closed, RxJS's deprecated synchronous error handling) takes
 * `Subject.next` itself.
 */
export class LinkSubject extends Subject<Delivery> {
  override next(d: Delivery): void {
    // `observers` is public in RxJS 7 and marked to become internal in 8. If an upgrade hides it, this
    // falls back to `Subject.next` (correct, slower); test/runtime/link.test.ts fails loudly when it does.
    const observers = this.observers as Subject<Delivery>['observers'] | undefined;
    if (
      observers !== undefined &&
      !this.closed &&
      !this.isStopped &&
      observers.length === 1 &&
      !config.useDeprecatedSynchronousErrorHandling
    ) {
      observers[0].next(d);
      return;
    }
    super.next(d);
  }
}
