/** Where a core's time goes. Every nanosecond of every core lands in exactly one. */
export const categories = ['guest', 'vhost', 'irq', 'switch', 'idle'] as const;
export type Category = (typeof categories)[number];
export const CAT_GUEST = 0;
export const CAT_VHOST = 1;
export const CAT_IRQ = 2;
export const CAT_SWITCH = 3;
export const CAT_IDLE = 4;
