/**
 * Every scenario field's TSDoc (on one line) by `--set` path, for the comments `vhost-sim init`
 * writes. Generated from src/model/scenario.ts and src/model/profile.ts by `npm run gen:schema`; do not edit.
 */
export const fieldDocs: Readonly<Record<string, string>> = {
  costDistribution: 'Per-packet CPU costs as drawn: constant, or random with the profile value as mean.',
  'costDistribution.cv': 'Coefficient of variation for lognormal.',
  'costDistribution.kind':
    "How each per-packet cost is drawn: the profile's value (`constant`), or random around it as the mean.",
  devicesPerVm: 'virtio-net (or, for BLOCK, virtio-scsi) devices per VM, each with its own vhost device.',
  durationS: 'Measured virtual seconds, after the warm-up.',
  guest: "The guest kernel's network stack and virtio-net driver (src/guest/, src/model/descriptors.ts).",
  'guest.headerInline':
    "VIRTIO_F_ANY_LAYOUT used: the virtio-net header shares the packet's first descriptor (Linux 3.12+).",
  'guest.indirectDesc':
    'VIRTIO_RING_F_INDIRECT_DESC negotiated: a multi-descriptor packet takes one ring slot.',
  'guest.mergeableRxBufs':
    'VIRTIO_NET_F_MRG_RXBUF negotiated: RX buffers are single pages and a large packet spans several.',
  'guest.sndbufBytes': "A UDP socket's sk_sndbuf (net.core.wmem_default; netperf keeps it unless given -s).",
  'guest.txqueuelen': "The device's txqueuelen: packets the qdisc (pfifo_fast) holds before it drops.",
  model: "The vhost threading model (per-device is Linux 3.6's one worker per device).",
  pinning: "Affinity of vCPU threads: `node` binds them to the VM's memory node (numactl --cpunodebind).",
  'pinning.vcpu': "`node`: each VM's vCPU threads bound to the cores of its memory node; `none`: anywhere.",
  policy: 'Options of the later threading models; each model reads only its own.',
  'policy.autoLb': 'pmd: pmd-auto-lb and its thresholds (OVS defaults).',
  'policy.autoLbImprovementThreshold': 'pmd: pmd-auto-lb and its thresholds (OVS defaults).',
  'policy.autoLbIntervalS': 'pmd: pmd-auto-lb and its thresholds (OVS defaults).',
  'policy.autoLbLoadThreshold': 'pmd: pmd-auto-lb and its thresholds (OVS defaults).',
  'policy.autoLbRebalIntervalS': 'pmd: pmd-auto-lb and its thresholds (OVS defaults).',
  'policy.busyPollUs': 'busy-poll: busyloop_timeout in µs (QEMU tap `poll-us`).',
  'policy.cgroupAttach':
    "per-cpu: how a shared worker keeps each VM's cgroup charged for the time it runs that VM's work.",
  'policy.nprocLimit': "RLIMIT_NPROC for a VM's process (its vCPU and vhost_task threads); 0 = unlimited.",
  'policy.perCpuKey':
    'per-cpu: what "idlest" means. `works`: fewest works queued on or running in the worker; `cpu`: the shortest run queue of the worker\'s CPU (nr_running, the running thread included), then fewest works; `works-then-cpu`: fewest works, then the shortest run queue (docs/dispatch.md).',
  'policy.perCpuOwnWorker':
    'per-cpu: may the worker of the CPU a work is queued from take it? `never` (the RFC: "not on the same CPU"), `when-idle` (only while it has no work queued), `always` (it competes like any other).',
  'policy.perCpuRequeue':
    "per-cpu: where a work that hit its weight (vhost_exceeds_weight) is requeued: `pick`, a new pick from the worker's CPU; `own`, the tail of the worker that ran it, as a single worker does.",
  'policy.perCpuTxRx':
    "per-cpu: `split`, a device's TX and RX are picked independently; `hybrid`, dedicated per-device threads while per-device threads would not outnumber the CPUs, and in the shared pool a work joins the worker its queue pair's other direction is on unless both directions are backlogged (docs/dispatch.md).",
  'policy.pmdCores': 'pmd: cores of the PMD threads (pmd-cpu-mask); empty = the last core of each node.',
  'policy.rxqAssign': 'pmd: other_config:pmd-rxq-assign.',
  'policy.sidecoresPerNode': 'sidecore: dedicated I/O cores per NUMA node (the last cores of each node).',
  'policy.taskMode':
    "multi-worker: `vhost_task` workers count against the VM process's thread limit; kthreads cannot be added.",
  'policy.vqMap':
    "`shared`: one worker for every vq; `per-vq`: vq i on worker i; `per-pair`: both vqs of queue pair q on worker q (a block device's request queue and its completion work, as vhost-scsi attaches them); or a list: vq i on worker map[i].",
  'policy.workersPerDevice':
    "multi-worker: workers per device (VHOST_NEW_WORKER), and the device's vq -> worker map.",
  profile:
    'The host: topology, NIC and every cost the simulation charges (a profile name in a file, or a partial profile).',
  'profile.cache': 'Caches and TLB: what a switch between address spaces costs.',
  'profile.cache.l2KiB': 'Private L2 per core.',
  'profile.cache.llcKiB': 'Shared last-level cache (one per socket on Nehalem-EP).',
  'profile.cache.model':
    '`address-space`: refills by what each core and LLC hold. `thread`: a refill whenever another thread ran on the core in between.',
  'profile.cache.pcid':
    "PCID (used by Linux from 4.14): an mm switch keeps the other address spaces' TLB entries.",
  'profile.cache.workingSetKiB':
    "Data one VM's network path touches between two switches (guest stack, rings, buffers, socket).",
  'profile.cgroup': "cgroups the VMs' threads live in (what a shared worker's attach walks).",
  'profile.cgroup.cpuset':
    'One of them is the cpuset hierarchy, whose can_attach refuses a kthread bound with kthread_bind().',
  'profile.cgroup.globalMutex':
    'Attaches serialize on the global cgroup_mutex (false: each attach proceeds at once).',
  'profile.cgroup.hierarchies':
    "Mounted cgroup hierarchies the VMs' threads are placed in (each is walked by cgroup_attach_task_all).",
  'profile.cgroup.rcuGraceNs':
    'synchronize_rcu() in each cgroup_attach_task(): the attaching thread sleeps this long per hierarchy; 0 = off.',
  'profile.costs': 'CPU costs in ns, each with its source and range in docs/calibration.md.',
  'profile.costs.blockGuestCompleteNs':
    'BLOCK: guest per request completed (virtscsi_complete_cmd, blk-mq completion, io_getevents, fio).',
  'profile.costs.blockGuestSubmitNs':
    'BLOCK: guest per request submitted (fio and libaio io_submit, blk-mq, SCSI, virtscsi_queuecommand).',
  'profile.costs.blockVhostCompleteNs':
    'BLOCK: vhost per completion (vhost_scsi_complete_cmd_work: response copied out, used ring, release).',
  'profile.costs.blockVhostSubmitNs':
    'BLOCK: vhost per request (vhost_scsi_handle_vq: descriptors, pinning the data pages, target submit, null backend).',
  'profile.costs.bridgeForwardNs':
    "East-west: bridge forwarding into the other VM's tap, run in the sending vhost thread (softirq).",
  'profile.costs.cacheRefillNs':
    "Refilling a VM's working set into a core's L2 from the shared L3 (the `thread` model: after any other thread).",
  'profile.costs.cgroupAttachNs':
    "A shared worker switching to another VM: moving it into the VM's cgroup (use_mm is charged by the cache model).",
  'profile.costs.ctxSwitchNs': 'Direct context-switch cost (schedule(), register and mm switch).',
  'profile.costs.exitlessIrqEntryNs':
    'Interrupt delivered to a running guest without an exit (ELI / posted interrupts): handler and EOI.',
  'profile.costs.groFrameNs':
    'A received TCP frame GRO merges into the skb it holds: descriptor clean, page attach, flow match (the stack runs once per merged skb).',
  'profile.costs.guestDescNs': 'Guest virtqueue_add_buf per descriptor written (sg_phys, one vring_desc).',
  'profile.costs.guestIndirectNs':
    'Guest indirect table for a packet: kmalloc (GFP_ATOMIC) in vring_add_indirect and kfree on reclaim.',
  'profile.costs.guestMemFraction': 'Share of guest network work that is memory-bound.',
  'profile.costs.guestPerByteNs': 'Guest per-byte copy cost.',
  'profile.costs.guestRxPktNs':
    'Guest network stack per received packet (NAPI poll, TCP/IP, waking the socket reader).',
  'profile.costs.guestTxPktNs': 'Guest network stack per sent packet (syscall, TCP/IP, virtio-net xmit).',
  'profile.costs.haltExitNs': 'HLT exit and kvm_vcpu_block before the vCPU thread sleeps.',
  'profile.costs.idleExitNs':
    'Exit from an idle state plus the wake-up IPI, paid by an idle core before it does anything.',
  'profile.costs.ipiIrqNs':
    "The host's handling of the reschedule IPI that kicked a running guest out (between its exit and re-entry).",
  'profile.costs.irqEntryNs':
    'Guest interrupt delivery: injection on entry plus the EOI write that traps (no APICv on Nehalem).',
  'profile.costs.kickHandleNs':
    'ioeventfd kick handling after the exit: eventfd signal and vhost_poll wake-up.',
  'profile.costs.lineLlcNs':
    'Pulling a cache line another core of the same L3 modified (a cache-to-cache transfer).',
  'profile.costs.lineRemoteNs':
    "Pulling a cache line a core of another L3 modified (on the talk's host, across QPI).",
  'profile.costs.memRefillNs': "Refilling a VM's working set from memory: it was evicted from the L3 too.",
  'profile.costs.napiPollNs':
    'One more ixgbe_poll() round when a poll used its whole NAPI budget (net_rx_action polls the queue again).',
  'profile.costs.nicIrqNs':
    "One NIC receive interrupt: the MSI-X hard interrupt, napi_schedule and the softirq's entry and exit.",
  'profile.costs.nicRxIrqNs':
    'NIC receive softirq per frame: NAPI poll, netif_receive_skb, bridge, tap enqueue, wake.',
  'profile.costs.pmdPktNs':
    'Userspace switch (OVS-DPDK) per packet: vhost-user burst dequeue or enqueue plus the flow lookup.',
  'profile.costs.pollCheckNs':
    'One look at one queue by a polling thread (avail index and socket head: a couple of cache lines).',
  'profile.costs.remoteNumaPenalty':
    "Extra cost of memory-bound work done on a node other than the VM's memory node (0.5 = +50 %).",
  'profile.costs.tlbRefillNs':
    'Page walks that refill the TLB after an mm switch flushed it (no PCID), paid by host-mode work.',
  'profile.costs.udpStackFactor':
    "UDP per-packet stack cost relative to TCP's (guest and vhost-side stack work).",
  'profile.costs.vhostDescNs':
    'vhost_get_vq_desc per descriptor: translate_desc of its guest address into an iovec entry.',
  'profile.costs.vhostIndirectNs': 'get_indirect(): translating the indirect table and copying it in.',
  'profile.costs.vhostMemFraction': 'Share of vhost work that is memory-bound (copies, descriptors).',
  'profile.costs.vhostPerByteNs': 'vhost per-byte copy cost.',
  'profile.costs.vhostRxPktNs': 'handle_rx per packet: socket peek, buffers, copy to the guest, used ring.',
  'profile.costs.vhostSignalNs':
    'vhost_signal: eventfd -> irqfd -> interrupt injection request (and IPI when the vCPU runs).',
  'profile.costs.vhostTxPktNs':
    'handle_tx per packet: descriptor fetch, copy, tap sendmsg, bridge, NIC driver xmit.',
  'profile.costs.vmExitNs': 'Direct cost of one VM exit + entry (world switch).',
  'profile.costs.vqCacheTransferLocalNs':
    "Moving a virtqueue's backend state (ring indices, vq struct, socket) from another core of the same socket.",
  'profile.costs.vqCacheTransferRemoteNs': 'The same across sockets (QPI).',
  'profile.costs.workLockHoldNs':
    'How long vhost_work_queue() holds dev->work_lock: the list add and wake_up_process().',
  'profile.cpu': 'Topology: sockets (one NUMA node each), cores, SMT, caches.',
  'profile.cpu.coresPerLlc':
    "Cores sharing one last-level cache (absent: the whole socket, as Nehalem's one L3 per socket).",
  'profile.cpu.coresPerSocket': 'Cores per socket.',
  'profile.cpu.ghz': 'Nominal clock rate in GHz (the costs are given in ns).',
  'profile.cpu.nodeDistance':
    'SLIT node distances, one row per socket (absent: 10 local, 21 remote, the Nehalem-EP table).',
  'profile.cpu.sockets': 'Sockets, one NUMA node each.',
  'profile.cpu.threadsPerCore':
    "SMT threads per core (1: Hyper-Threading off). Siblings share a core's scheduling domain only.",
  'profile.description': 'The machine, in words.',
  'profile.kvm': "KVM's exits and interrupt delivery.",
  'profile.kvm.kickExit':
    'kvm_vcpu_kick(): a reschedule IPI forces the running guest to exit and re-enter (false: delivered for free, an ablation).',
  'profile.kvm.postedInterrupts':
    'Posted interrupts (APICv, Ivy Bridge-EP and Linux 3.10 on): the running guest takes it without an exit.',
  'profile.locks': 'Cache lines several CPUs write.',
  'profile.locks.dispatchLines':
    "A dispatching design's shared load index (per node): transfers between the picking and the finishing CPU.",
  'profile.locks.workLock':
    'dev->work_lock and the work list of each worker: transfers between the queueing and the running CPU, spins when held.',
  'profile.name':
    'The profile a file names (`vhost-sim validate` lists them); the other fields are merged over it.',
  'profile.nic': "The host's NIC and the external peer behind it.",
  'profile.nic.atrSampleRate':
    "Flow Director ATR: one transmitted TCP packet in this many (per TX queue) updates the flow's filter; SYNs always do.",
  'profile.nic.frameOverheadBytes': 'Ethernet + IP + TCP header bytes added to each frame on the wire.',
  'profile.nic.gro':
    'GRO (napi_gro_receive): the frames of a TCP burst from the peer are merged into one skb before the stack, bridge and tap see it; false: every frame goes up on its own.',
  'profile.nic.irqCpus': 'CPUs used for receive interrupts with `fixed` steering (flow hash picks one).',
  'profile.nic.itrIntervalNs':
    "Receive interrupt moderation (ixgbe ITR) as a rate limit per queue: an interrupt fires at once when the queue's last one is older than this, else when this interval has passed since it; 0 = off (one interrupt per frame, at once).",
  'profile.nic.lineRateGbps': 'Line rate in Gbit/s.',
  'profile.nic.mssBytes':
    'TCP payload per frame (1500-byte MTU): larger packets leave as several frames (TSO).',
  'profile.nic.napiBudget':
    'NAPI weight of a receive queue: frames one ixgbe_poll() may clean before net_rx_action() polls it again (0 = no limit).',
  'profile.nic.peerJitterCv':
    "Coefficient of variation of the peer's turnaround (lognormal): the external host's jitter.",
  'profile.nic.peerTurnaroundNs':
    'External netperf peer: receive, application turnaround and send on bare metal.',
  'profile.nic.rxRingFrames':
    "Receive descriptors per queue: frames one CPU's pending softirq batch can hold; beyond, the NIC drops.",
  'profile.nic.steering':
    'Where the receive interrupt lands: `atr` follows the CPU that last sent on a TCP flow (ixgbe Flow Director ATR; other traffic is RSS-hashed over the CPUs).',
  'profile.nic.txNs': 'NIC DMA + PCIe on transmit, before the frame hits the wire.',
  'profile.nic.txRingFrames':
    'Transmit descriptors: frames the NIC can hold waiting for the wire before it drops.',
  'profile.nic.wireNs': 'One-way propagation and switch latency between the NIC and the external peer.',
  'profile.sched': "The host scheduler: CFS tunables and Linux 3.6's placement rules.",
  'profile.sched.cacheHot':
    "Rules of Linux 3.6's placement and balancing, each switchable so its effect can be measured.",
  'profile.sched.decayedLoad':
    "Rules of Linux 3.6's placement and balancing, each switchable so its effect can be measured.",
  'profile.sched.hz':
    'HZ: scheduler ticks per second; cpu_load[] decays per tick, balancing intervals count in ticks.',
  'profile.sched.latencyNs': 'sched_latency_ns: the period over which every runnable task should run once.',
  'profile.sched.migrationCostNs':
    'sysctl_sched_migration_cost: task_hot() and the new-idle gate (avg_idle shorter: no pull).',
  'profile.sched.minGranularityNs': 'sched_min_granularity_ns: shortest slice before tick preemption.',
  'profile.sched.numaAffineDistance':
    'The distance sd_local_flags() compares a NUMA level with: RECLAIM_DISTANCE (30) or REMOTE_DISTANCE (20).',
  'profile.sched.periodicBalance':
    "Rules of Linux 3.6's placement and balancing, each switchable so its effect can be measured.",
  'profile.sched.selectIdleSibling':
    "Rules of Linux 3.6's placement and balancing, each switchable so its effect can be measured.",
  'profile.sched.wakeAffine':
    "Rules of Linux 3.6's placement and balancing, each switchable so its effect can be measured.",
  'profile.sched.wakeupGranularityNs':
    'sched_wakeup_granularity_ns: vruntime lead a woken task needs to preempt.',
  queuePairs: 'Queue pairs per virtio-net device (multiqueue): each pair has its own vhost-net instance.',
  ringSize: "Descriptors per virtqueue ring (QEMU's virtio-net default, 256).",
  seed: 'Seed of every random stream: the same scenario and seed give the same bytes.',
  vcpusPerVm: 'vCPU threads per VM.',
  vhost: "vhost-net's handler limits.",
  'vhost.byteWeight': 'VHOST_NET_WEIGHT: bytes a handler may move before requeueing itself.',
  'vhost.weightPkts': 'VHOST_NET_PKT_WEIGHT: packets a handler may move before requeueing itself.',
  vms: 'VMs on the host.',
  warmupS: 'Virtual seconds simulated before measuring (not in the metrics).',
  workload: 'What runs in each VM.',
  'workload.arrival': 'OPEN_RR: arrival process and rate of requests per instance.',
  'workload.blockBytes':
    'BLOCK: bytes per request (fio bs); requests alternate read and write (randrw, rwmixread 50).',
  'workload.direction':
    "STREAM: `tx`, the guest sends (netperf TCP_STREAM / UDP_STREAM run in the guest); `rx` (TCP_STREAM only), the external peer sends to the guest (netperf TCP_MAERTS) through the NIC's receive path, vhost's handle_rx and the guest's NAPI, and the guest's TCP ACKs back (src/workloads/rxStream.ts).",
  'workload.gsoBytes': 'Largest virtio buffer: a GSO super-packet (65160), or one MSS (1448) with GSO off.',
  'workload.instances': 'netperf instances per VM (concurrent connections, each a flow).',
  'workload.iodepth':
    'BLOCK (fio over virtio-scsi / vhost-scsi): requests each job keeps in flight (fio iodepth).',
  'workload.kind':
    'The netperf test run in each VM (`TCP_RR`, `UDP_RR`, `TCP_STREAM`, `UDP_STREAM`, `OPEN_RR`), or fio (`BLOCK`).',
  'workload.messageBytes':
    "STREAM: bytes per send() (0 = netperf's default for the workload: 16384 TCP, 1472 UDP).",
  'workload.pairing': 'East-west: how client VMs are paired with server VMs (src/workloads/pairing.ts).',
  'workload.peer':
    '`external`: the netperf peer is a host behind the NIC; `east-west`: to another VM (see `pairing`) through the bridge.',
  'workload.ratePerSec': 'OPEN_RR: arrival process and rate of requests per instance.',
  'workload.requestBytes': 'RR: request and response payloads.',
  'workload.responseBytes': 'RR: request and response payloads.',
  'workload.windowBytes': 'TCP_STREAM: bytes in flight the window allows per connection.',
};
