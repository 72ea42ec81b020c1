/**
 * A host profile: topology plus every cost the simulation charges. Profiles are data; each value's
 * source or stated assumption, kind and plausible range are in src/model/calibration.ts (docs/calibration.md).
 */
export interface Profile {
  /** The profile a file names (`vhost-sim validate` lists them); the other fields are merged over it. */
  name: string;
  /** The machine, in words. */
  description: string;
  /** Topology: sockets (one NUMA node each), cores, SMT, caches. */
  cpu: CpuSpec;
  /** The host's NIC and the external peer behind it. */
  nic: NicSpec;
  /** CPU costs in ns, each with its source and range in docs/calibration.md. */
  costs: Costs;
  /** The host scheduler: CFS tunables and Linux 3.6's placement rules. */
  sched: SchedTunables;
  /** Caches and TLB: what a switch between address spaces costs. */
  cache: CacheSpec;
  /** cgroups the VMs' threads live in (what a shared worker's attach walks). */
  cgroup: CgroupSpec;
  /** KVM's exits and interrupt delivery. */
  kvm: KvmSpec;
  /** Cache lines several CPUs write. */
  locks: LockSpec;
}

/** Cache lines several CPUs write (src/host/cacheLine.ts); each switch is an ablation. */
export interface LockSpec {
  /** dev->work_lock and the work list of each worker: transfers between the queueing and the running CPU, spins when held. */
  workLock: boolean;
  /** A dispatching design's shared load index (per node): transfers between the picking and the finishing CPU. */
  dispatchLines: boolean;
}

/** How KVM delivers an interrupt to a vCPU that is running guest code on another CPU. */
export interface KvmSpec {
  /** kvm_vcpu_kick(): a reschedule IPI forces the running guest to exit and re-enter (false: delivered for free, an ablation). */
  kickExit: boolean;
  /** Posted interrupts (APICv, Ivy Bridge-EP and Linux 3.10 on): the running guest takes it without an exit. */
  postedInterrupts: boolean;
}

/** cgroup attach as Linux 3.6 does it (src/host/cgroup.ts). */
export interface CgroupSpec {
  /** Mounted cgroup hierarchies the VMs' threads are placed in (each is walked by cgroup_attach_task_all). */
  hierarchies: number;
  /** One of them is the cpuset hierarchy, whose can_attach refuses a kthread bound with kthread_bind(). */
  cpuset: boolean;
  /** synchronize_rcu() in each cgroup_attach_task(): the attaching thread sleeps this long per hierarchy; 0 = off. */
  rcuGraceNs: number;
  /** Attaches serialize on the global cgroup_mutex (false: each attach proceeds at once). */
  globalMutex: boolean;
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
  /** Sockets, one NUMA node each. */
  sockets: number;
  /** Cores per socket. */
  coresPerSocket: number;
  /** SMT threads per core (1: Hyper-Threading off). Siblings share a core's scheduling domain only. */
  threadsPerCore?: number;
  /** Cores sharing one last-level cache (absent: the whole socket, as Nehalem's one L3 per socket). */
  coresPerLlc?: number;
  /** SLIT node distances, one row per socket (absent: 10 local, 21 remote, the Nehalem-EP table). */
  nodeDistance?: number[][];
  /** Nominal clock rate in GHz (the costs are given in ns). */
  ghz: number;
}

export interface NicSpec {
  /** Line rate in Gbit/s. */
  lineRateGbps: number;
  /** Ethernet + IP + TCP header bytes added to each frame on the wire. */
  frameOverheadBytes: number;
  /** TCP payload per frame (1500-byte MTU): larger packets leave as several frames (TSO). */
  mssBytes: number;
  /** Transmit descriptors: frames the NIC can hold waiting for the wire before it drops. */
  txRingFrames: number;
  /** Receive descriptors per queue: frames one CPU's pending softirq batch can hold; beyond, the NIC drops. */
  rxRingFrames: number;
  /**
   * GRO (napi_gro_receive): the frames of a TCP burst from the peer are merged into one skb before the
   * stack, bridge and tap see it; false: every frame goes up on its own.
   */
  gro: boolean;
  /** NIC DMA + PCIe on transmit, before the frame hits the wire. */
  txNs: number;
  /** One-way propagation and switch latency between the NIC and the external peer. */
  wireNs: number;
  /**
   * Receive interrupt moderation (ixgbe ITR) as a rate limit per queue: an interrupt fires at once when the
   * queue's last one is older than this, else when this interval has passed since it; 0 = off (one
   * interrupt per frame, at once).
   */
  itrIntervalNs: number;
  /** NAPI weight of a receive queue: frames one ixgbe_poll() may clean before net_rx_action() polls it again (0 = no limit). */
  napiBudget: number;
  /** Flow Director ATR: one transmitted TCP packet in this many (per TX queue) updates the flow's filter; SYNs always do. */
  atrSampleRate: number;
  /** External netperf peer: receive, application turnaround and send on bare metal. */
  peerTurnaroundNs: number;
  /** Coefficient of variation of the peer's turnaround (lognormal): the external host's jitter. */
  peerJitterCv: number;
  /** Where the receive interrupt lands: `atr` follows the CPU that last sent on a TCP flow (ixgbe Flow Director ATR; other traffic is RSS-hashed over the CPUs). */
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
  /** NIC receive softirq per frame: NAPI poll, netif_receive_skb, bridge, tap enqueue, wake. */
  nicRxIrqNs: number;
  /** The host's handling of the reschedule IPI that kicked a running guest out (between its exit and re-entry). */
  ipiIrqNs: number;
  /** One NIC receive interrupt: the MSI-X hard interrupt, napi_schedule and the softirq's entry and exit. */
  nicIrqNs: number;
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
  /** Pulling a cache line another core of the same L3 modified (a cache-to-cache transfer). */
  lineLlcNs: number;
  /** Pulling a cache line a core of another L3 modified (on the talk's host, across QPI). */
  lineRemoteNs: number;
  /** How long vhost_work_queue() holds dev->work_lock: the list add and wake_up_process(). */
  workLockHoldNs: number;
  /** One more ixgbe_poll() round when a poll used its whole NAPI budget (net_rx_action polls the queue again). */
  napiPollNs: number;
  /** A received TCP frame GRO merges into the skb it holds: descriptor clean, page attach, flow match (the stack runs once per merged skb). */
  groFrameNs: number;
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
  periodicBalance: boolean;
  cacheHot: boolean;
  decayedLoad: boolean;
  /** The distance sd_local_flags() compares a NUMA level with: RECLAIM_DISTANCE (30) or REMOTE_DISTANCE (20). */
  numaAffineDistance: 'reclaim' | 'remote';
}
