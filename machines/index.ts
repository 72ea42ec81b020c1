export { nicMachine } from './nic.machine.ts';
export { pcpuMachine } from './pcpu.machine.ts';
export { vcpuMachine } from './vcpu.machine.ts';
export { vhostWorkerMachine } from './vhostWorker.machine.ts';
export { virtqueueMachine } from './virtqueue.machine.ts';

import { nicMachine } from './nic.machine.ts';
import { pcpuMachine } from './pcpu.machine.ts';
import { vcpuMachine } from './vcpu.machine.ts';
import { vhostWorkerMachine } from './vhostWorker.machine.ts';
import { virtqueueMachine } from './virtqueue.machine.ts';

/** Every behaviour definition, by machine id. */
export const machines = {
  pcpu: pcpuMachine,
  vcpu: vcpuMachine,
  virtqueue: virtqueueMachine,
  vhostWorker: vhostWorkerMachine,
  nic: nicMachine,
} as const;
