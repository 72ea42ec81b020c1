/**
 * A host profile: topology plus every cost the simulation charges. Profiles are data; each value's
 * source or stated assumption, kind and plausible range are in src/model/calibration.ts (docs/calibration.md).
 */
export interface Profile {
  name: string;
  description: string;
  cpu: CpuSpec;
  nic: NicSpec;
  costs: Costs;
  sched: SchedTunables;
  cache: CacheSpec;
}

/** The caches and TLB, by address space and working set (src/host/cache.ts). */
export interface CacheSpec {
  /** `address-space`: refills by what each core and LLC hold. `thread`: a refill whenever another thread ran on the core in between. */
  model: 'address-space' | 'thread';
  /** Private L2 per core. */
  l2KiB: number;
  /** Shared last-level cache (one per socket on Nehalem-EP). */
  llcKiB: number;
  /** Data one VM's network path touches between two switches (guest stack, rings, buffers, socket). */
  workingSetKiB: number;
  /** PCID (used by Linux from 4.14): an mm switch keeps the other address spaces' TLB entries. */
  pcid: boolean;
}

export interface CpuSpec {
  sockets: number;
  coresPerSocket: number;
  /** SMT threads per core (1: Hyper-Threading off). Siblings share a core's scheduling domain only. */
  threadsPerCore?: number;
  /** Cores sharing one last-level cache (absent: the whole socket, as Nehalem's one L3 per socket). */
  coresPerLlc?: number;
  /** SLIT node distances, one row per socket (absent: 10 local, 21 remote, the Nehalem-EP table). */
  nodeDistance?: number[][];
  ghz: number;
}

export interface NicSpec {
  lineRateGbps: number;
  /** Ethernet + IP + TCP header bytes added to each frame on the wire. */
  frameOverheadBytes: number;
  /** TCP payload per frame (1500-byte MTU): larger packets leave as several frames (TSO). */
  mssBytes: number;
  /** Transmit descriptors: frames the NIC can hold waiting for the wire before it drops. */
  txRingFrames: number;
  /** NIC DMA + PCIe on transmit, before the frame hits the wire. */
  txNs: number;
  /** One-way propagation and switch latency between the NIC and the external peer. */
  wireNs: number;
  /** Receive interrupt moderation (ixgbe ITR): delay from frame arrival to the interrupt. */
  irqDelayNs: number;
  /** External netperf peer: receive, application turnaround and send on bare metal. */
  peerTurnaroundNs: number;
  /** Coefficient of variation of the peer's turnaround (lognormal): the external host's jitter. */
  peerJitterCv: number;
  /** Where the receive interrupt lands: `atr` follows the CPU that last sent on the flow (ixgbe Flow Director ATR). */
  steering: 'atr' | 'fixed';
  /** CPUs used for receive interrupts with `fixed` steering (flow hash picks one). */
  irqCpus: number[];
}

export interface Costs {
  /** Direct cost of one VM exit + entry (world switch). */
  vmExitNs: number;
  /** ioeventfd kick handling after the exit: eventfd signal and vhost_poll wake-up. */
  kickHandleNs: number;
  /** HLT exit and kvm_vcpu_block before the vCPU thread sleeps. */
  haltExitNs: number;
  /** Guest interrupt delivery: injection on entry plus the EOI write that traps (no APICv on Nehalem). */
  irqEntryNs: number;
  /** Guest network stack per sent packet (syscall, TCP/IP, virtio-net xmit). */
  guestTxPktNs: number;
  /** Guest network stack per received packet (NAPI poll, TCP/IP, waking the socket reader). */
  guestRxPktNs: number;
  /** Guest per-byte copy cost. */
  guestPerByteNs: number;
  /** handle_tx per packet: descriptor fetch, copy, tap sendmsg, bridge, NIC driver xmit. */
  vhostTxPktNs: number;
  /** handle_rx per packet: socket peek, buffers, copy to the guest, used ring. */
  vhostRxPktNs: number;
  /** Guest virtqueue_add_buf per descriptor written (sg_phys, one vring_desc). */
  guestDescNs: number;
  /** Guest indirect table for a packet: kmalloc (GFP_ATOMIC) in vring_add_indirect and kfree on reclaim. */
  guestIndirectNs: number;
  /** vhost_get_vq_desc per descriptor: translate_desc of its guest address into an iovec entry. */
  vhostDescNs: number;
  /** get_indirect(): translating the indirect table and copying it in. */
  vhostIndirectNs: number;
  /** vhost per-byte copy cost. */
  vhostPerByteNs: number;
  /** vhost_signal: eventfd -> irqfd -> interrupt injection request (and IPI when the vCPU runs). */
  vhostSignalNs: number;
  /** NIC receive interrupt + softirq per packet: NAPI, netif_receive_skb, bridge, tap enqueue, wake. */
  nicRxIrqNs: number;
  /** East-west: bridge forwarding into the other VM's tap, run in the sending vhost thread (softirq). */
  bridgeForwardNs: number;
  /** UDP per-packet stack cost relative to TCP's (guest and vhost-side stack work). */
  udpStackFactor: number;
  /** One look at one queue by a polling thread (avail index and socket head: a couple of cache lines). */
  pollCheckNs: number;
  /** Interrupt delivered to a running guest without an exit (ELI / posted interrupts): handler and EOI. */
  exitlessIrqEntryNs: number;
  /** Userspace switch (OVS-DPDK) per packet: vhost-user burst dequeue or enqueue plus the flow lookup. */
  pmdPktNs: number;
  /** Direct context-switch cost (schedule(), register and mm switch). */
  ctxSwitchNs: number;
  /** Refilling a VM's working set into a core's L2 from the shared L3 (the `thread` model: after any other thread). */
  cacheRefillNs: number;
  /** Refilling a VM's working set from memory: it was evicted from the L3 too. */
  memRefillNs: number;
  /** Page walks that refill the TLB after an mm switch flushed it (no PCID), paid by host-mode work. */
  tlbRefillNs: number;
  /** Exit from an idle state plus the wake-up IPI, paid by an idle core before it does anything. */
  idleExitNs: number;
  /** Moving a virtqueue's backend state (ring indices, vq struct, socket) from another core of the same socket. */
  vqCacheTransferLocalNs: number;
  /** The same across sockets (QPI). */
  vqCacheTransferRemoteNs: number;
  /** Extra cost of memory-bound work done on a node other than the VM's memory node (0.5 = +50 %). */
  remoteNumaPenalty: number;
  /** Share of guest network work that is memory-bound. */
  guestMemFraction: number;
  /** Share of vhost work that is memory-bound (copies, descriptors). */
  vhostMemFraction: number;
  /** A shared worker switching to another VM: moving it into the VM's cgroup (use_mm is charged by the cache model). */
  cgroupAttachNs: number;
  /** BLOCK: guest per request submitted (fio and libaio io_submit, blk-mq, SCSI, virtscsi_queuecommand). */
  blockGuestSubmitNs: number;
  /** BLOCK: guest per request completed (virtscsi_complete_cmd, blk-mq completion, io_getevents, fio). */
  blockGuestCompleteNs: number;
  /** BLOCK: vhost per request (vhost_scsi_handle_vq: descriptors, pinning the data pages, target submit, null backend). */
  blockVhostSubmitNs: number;
  /** BLOCK: vhost per completion (vhost_scsi_complete_cmd_work: response copied out, used ring, release). */
  blockVhostCompleteNs: number;
}

export interface SchedTunables {
  /** sched_latency_ns: the period over which every runnable task should run once. */
  latencyNs: number;
  /** sched_min_granularity_ns: shortest slice before tick preemption. */
  minGranularityNs: number;
  /** sched_wakeup_granularity_ns: vruntime lead a woken task needs to preempt. */
  wakeupGranularityNs: number;
  /** sysctl_sched_migration_cost: task_hot() and the new-idle gate (avg_idle shorter: no pull). */
  migrationCostNs: number;
  /** HZ: scheduler ticks per second; cpu_load[] decays per tick, balancing intervals count in ticks. */
  hz: number;
  /** Rules of Linux 3.6's placement and balancing, each switchable so its effect can be measured. */
  wakeAffine: boolean;
  selectIdleSibling: boolean;
  /** The distance sd_local_flags() compares a NUMA level with: RECLAIM_DISTANCE (30) or REMOTE_DISTANCE (20). */
  numaAffineDistance: 'reclaim' | 'remote';
  periodicBalance: boolean;
  cacheHot: boolean;
  decayedLoad: boolean;
}
