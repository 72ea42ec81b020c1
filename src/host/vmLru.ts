/**
 * A least-recently-used list of VM ids (most recent first, at most `cap` of them) with a membership table,
 * so asking whether a VM's working set is held costs one load whatever the capacity: a large L3 holds
 * dozens to hundreds of working sets, and every switch into a VM asks its core's L2 and its L3.
 */
export class VmLru {
  /** The VMs held, most recent first. */
  readonly list: number[] = [];
  /** held[vm] = 1 while `vm` is in `list`. */
  private held: Uint8Array;

  constructor(
    readonly cap: number,
    vms: number,
  ) {
    this.held = new Uint8Array(vms);
  }

  has(vm: number): boolean {
    return this.held[vm] === 1;
  }

  /** `vm` becomes the most recent; when the list is full, the least recent one leaves. */
  touch(vm: number): void {
    const list = this.list;
    if (vm >= this.held.length) this.grow(vm);
    let at: number;
    if (this.held[vm] === 1) {
      if (list[0] === vm) return;
      at = list.indexOf(vm);
    } else {
      this.held[vm] = 1;
      if (list.length < this.cap) list.push(vm);
      else this.held[list[list.length - 1]] = 0;
      at = list.length - 1;
    }
    // Shift the more recent ones down one place in place: no array allocated, no length written.
    for (let i = at; i > 0; i--) list[i] = list[i - 1];
    list[0] = vm;
  }

  private grow(vm: number): void {
    const held = new Uint8Array(Math.max(vm + 1, 2 * this.held.length));
    held.set(this.held);
    this.held = held;
  }
}
