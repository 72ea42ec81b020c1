export { EventQueue, type SimEvent } from './eventQueue.ts';
export { fnv1a32, RandomStream, streamFor } from './random.ts';
export { SimKernel } from './simKernel.ts';
export { type Clock, createSimClock } from './xstateClock.ts';
