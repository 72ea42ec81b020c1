export { EventQueue, type FireFn } from './eventQueue.ts';
export { fnv1a32, RandomStream, streamFor } from './random.ts';
export { type EventId, SimKernel } from './simKernel.ts';
export { type Clock, createSimClock } from './xstateClock.ts';
