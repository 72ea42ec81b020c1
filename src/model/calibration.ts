/**
 * The calibration table: every cost and tunable of the default scenario and profile, with its unit, the
 * kind of evidence behind its value, and a plausible range. docs/calibration.md is generated from it
 * (`npm run gen:calibration`), and `vhost-sim sensitivity` / `reproduce --uncertainty` sample the ranges.
 *
 * Adding a cost: add one row to the right section below (its `path` is the `--set` path), then run
 * `npm run gen:calibration`. A test fails when a numeric profile field has no row or the doc is stale.
 * The value itself is never repeated here: it is read from the default scenario.
 */

/** What the value rests on. */
export type CalibrationKind =
  /** A published measurement on comparable hardware (the source says what was measured). */
  | 'measured'
  /** A documented fact: a kernel default, a datasheet figure, or arithmetic on one. */
  | 'sourced'
  /** A figure chosen by us, stated so it can be challenged. */
  | 'assumed'
  /** Chosen so that a published result is reproduced. */
  | 'fitted';

export interface PlausibleRange {
  lo: number;
  hi: number;
  /** Why a real host of the kind could lie anywhere in [lo, hi]. */
  why: string;
}

export interface CalibrationRow {
  /** Scenario path, as `--set` takes it: `profile.costs.vmExitNs`. */
  path: string;
  unit: string;
  kind: CalibrationKind;
  /** Where the value comes from, in markdown, with its public source. */
  source: string;
  /** Where a plausible host could lie; `null` for a fact of the machine or a documented default. */
  range: PlausibleRange | null;
  /** Shown instead of the default scenario's value (for values that differ by workload or profile). */
  shown?: string;
}

export interface CalibrationSection {
  title: string;
  rows: CalibrationRow[];
}

/** Public sources the rows cite, by short name. */
export const sources = {
  talk: 'the talk: Ma and Fastabend, "KVM Performance – Vhost Scalability", KVM Forum 2012',
  rfc: '[the 2012 per-CPU vhost RFC](https://www.mail-archive.com/kvm@vger.kernel.org/msg69868.html)',
  splitx:
    '[SplitX](https://m.moam.info/splitx-split-guest-hypervisor-execution-on-multi-core-usenix_59e5379e1723ddf9a2a71953.html) (Landau, Ben-Yehuda, Gordon; Xeon X5570, KVM 2.6.34, EPT+VPID)',
  eli: '[ELI](https://vdocument.in/eli-bare-metal-performance-for-io-to-resume-the-guest-again-the-chain-of-events.html) (ASPLOS 2012)',
  ioeventfd: '[QEMU VirtioIoeventfd](https://wiki.qemu.org/Features/VirtioIoeventfd)',
  tsuna:
    "[tsuna's context-switch benchmark](https://blog.tsunanet.net/2010/11/how-long-does-it-take-to-make-context.html) (Nehalem E5520/X5550, 2.6.28–2.6.32)",
  ctxModern:
    '[pipe ping-pong on Linux 6.6](https://ddumbying.vercel.app/experiments/ctx-switch-overhead) (~1.1 µs thread, ~2.4 µs process switch)',
  nehalemMem:
    '[HP Nehalem-EP memory whitepaper](https://manualsdump.com/en/manuals/hp-smartcache/285990/3) (32 GB/s per socket)',
  sandra:
    '[SiSoft Sandra on X5570](http://www.anandtech.com/show/2978/amd-s-12-core-magny-cours-opteron-6174-vs-intel-s-6-core-xeon/5) (L3 47 cycles, memory 81 ns)',
  ibmEx5:
    '[IBM eX5 guide](https://easymanua.ls/ibm/system-x3850-x5/manual/564010?p=160) (remote memory "more than 50 % higher than local")',
  vhostPerf:
    '[a vhost-net perf profile](https://gist.github.com/gilou/15b620a7a067fd1d58a7616942e025b4) (`vhost_get_vq_desc` 9.9 %, `vhost_signal` 4.4 %, `__apic_accept_irq` 3.5 %)',
  mstRr:
    '[MST, virtio-net header inline, 2013](https://thr3ads.net/linux-virtualization/2013/06/2836885-PATCH-virtio-net-put-virtio-net-header-inline-with-data) (TCP_RR 12,931 → 14,151 transactions/s)',
  lineRate: '[10GbE line rate](http://slidesha.re/USYQAU) (14.8 Mpps of 64-byte frames, 67 ns each)',
  vhostNet: '`New-B/Linux3.6:drivers/vhost/net.c`',
  fair: '`New-B/Linux3.6:kernel/sched/fair.c`',
  core: '`New-B/Linux3.6:kernel/sched/core.c`',
  cacheRefs:
    '[Intel Xeon 5500 datasheet figures as summarised by HP](https://manualsdump.com/en/manuals/hp-smartcache/285990/3) (256 KB L2 per core, shared inclusive L3 up to 8 MB)',
  vhost36: '`New-B/Linux3.6:drivers/vhost/vhost.c`',
  mmu36: '`New-B/Linux3.6:arch/x86/include/asm/mmu_context.h`',
  pcid: '`torvalds/linux:arch/x86/mm/tlb.c` (PCID used for address-space switches from Linux 4.14)',
  kvmMain: '`New-B/Linux3.6:virt/kvm/kvm_main.c` (`kvm_vcpu_kick`)',
  cgroup36: '`New-B/Linux3.6:kernel/cgroup.c` (`cgroup_attach_task_all`, `cgroup_attach_task`)',
  cpuset36: '`New-B/Linux3.6:kernel/cpuset.c` (`cpuset_can_attach`)',
  intelIdle:
    '`New-B/Linux3.6:drivers/idle/intel_idle.c` (`nehalem_cstates`: C1 exit 3 µs, C3 20 µs, C6 200 µs)',
  ixgbe: '`torvalds/linux:drivers/net/ethernet/intel/ixgbe/ixgbe_main.c`',
  ovsPmd: '`openvswitch/ovs:Documentation/topics/dpdk/pmd.rst`',
  qemuPollUs: '`qemu/qemu:net/tap.c` (`poll-us`)',
  mwScsi:
    '[the multi-worker vhost-scsi posting](http://mail.spinics.net/lists/linux-scsi/msg166845.html) (fio 4k randrw, libaio, iodepth 128, a 16-vCPU VM with 16 vqs; 1 worker 184k/492k/510k IOPS at 1/2/4 jobs)',
} as const;

const S = sources;

export const calibration: CalibrationSection[] = [
  {
    title: 'Host',
    rows: [
      {
        path: 'profile.cpu.sockets',
        unit: 'sockets',
        kind: 'sourced',
        source: `IBM x3650-M2 with two Xeon E5530 (${S.talk}).`,
        range: null,
      },
      {
        path: 'profile.cpu.coresPerSocket',
        unit: 'cores',
        kind: 'sourced',
        source: `Xeon E5530: 4 cores, HT disabled (${S.talk}).`,
        range: null,
      },
      {
        path: 'profile.cpu.threadsPerCore',
        unit: 'threads',
        kind: 'sourced',
        source: `HT disabled on the talk's host (${S.talk}). With 2, each core's threads form an SMT scheduling domain (\`SD_SIBLING_INIT\`, \`New-B/Linux3.6:include/linux/topology.h\`); siblings do not slow each other down (not modelled).`,
        range: null,
      },
      {
        path: 'profile.cpu.coresPerLlc',
        unit: 'cores',
        kind: 'sourced',
        shown: '4 (x3650-m2), 8 (2x64)',
        source:
          "Xeon E5530: one 8 MB L3 shared by the 4 cores of a socket (Intel ARK). The 2x64 profile has eight-core complexes with their own L3, as AMD EPYC CCDs. The scheduler's `MC` domain and `select_idle_sibling()` scan span one LLC.",
        range: null,
      },
      {
        path: 'profile.cpu.ghz',
        unit: 'GHz',
        kind: 'sourced',
        source: 'Xeon E5530 nominal clock. Used to turn cycle counts into ns.',
        range: null,
      },
    ],
  },
  {
    title: 'Guest ↔ host transitions',
    rows: [
      {
        path: 'profile.costs.vmExitNs',
        unit: 'ns',
        kind: 'measured',
        source: `${S.splitx} measured 2,000 cycles for the direct cost of an exit and re-entry; 2,000 / 2.4 GHz = 833 ns.`,
        range: {
          lo: 600,
          hi: 1_250,
          why: '1,500–3,000 cycles: the direct cost varies with EPT/VPID, guest state and microcode.',
        },
      },
      {
        path: 'profile.costs.kickHandleNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Handling on top of the direct exit for an ioeventfd kick (MMIO/PIO decode in KVM, \`eventfd_signal\`, the \`vhost_poll\` wake-up callback). ${S.splitx}: handling "can be an order of magnitude higher" than the direct cost; ioeventfd is the light path (${S.ioeventfd}), so ~1.5× the direct cost.`,
        range: {
          lo: 400,
          hi: 3_000,
          why: "From half the direct exit (PIO fast path) to a few exits' worth (MMIO decode, cold caches).",
        },
      },
      {
        path: 'profile.costs.haltExitNs',
        unit: 'ns',
        kind: 'assumed',
        source: `HLT exit (830 ns direct) plus \`kvm_vcpu_block\` bookkeeping before \`schedule()\`.`,
        range: {
          lo: 900,
          hi: 3_000,
          why: 'At least the direct exit; at most about two more exits of bookkeeping.',
        },
      },
      {
        path: 'profile.costs.irqEntryNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Interrupt injection on VM entry plus the guest's EOI write, which traps on Nehalem (no APICv or posted interrupts; ${S.eli} describes these extra exits): about two exits' worth.`,
        range: {
          lo: 1_000,
          hi: 4_000,
          why: "One to four exits' worth (injection, EOI, and the exits ELI counts per interrupt).",
        },
      },
      {
        path: 'profile.costs.exitlessIrqEntryNs',
        unit: 'ns',
        kind: 'assumed',
        source: `With exitless interrupts (${S.eli}) the guest takes the interrupt and its EOI without exits, so only the handler entry remains (compare \`irqEntryNs\`).`,
        range: {
          lo: 200,
          hi: 1_000,
          why: 'A guest interrupt handler entry and EOI without exits: a few hundred cycles to ~2,400.',
        },
      },
    ],
  },
  {
    title: 'Guest network stack (netperf inside the VM)',
    rows: [
      {
        path: 'profile.costs.guestTxPktNs',
        unit: 'ns',
        kind: 'assumed',
        source: `\`send()\` syscall, TCP/IP output and virtio-net \`start_xmit\` for a small message on a 2.4 GHz Nehalem guest (~10k cycles: 4,000 ns), less its descriptors (280 ns: \`guestDescNs\` × 2 + \`guestIndirectNs\`), which are charged apart.`,
        range: {
          lo: 2_000,
          hi: 8_000,
          why: 'Half to twice the assumed 10k cycles: no per-packet guest figure was found.',
        },
      },
      {
        path: 'profile.costs.guestRxPktNs',
        unit: 'ns',
        kind: 'assumed',
        source: `NAPI poll, \`netif_receive_skb\`, TCP input, waking netperf and its \`recv()\` (~12k cycles).`,
        range: { lo: 2_500, hi: 10_000, why: 'Half to twice the assumed 12k cycles.' },
      },
      {
        path: 'profile.costs.guestPerByteNs',
        unit: 'ns/byte',
        kind: 'assumed',
        source: `~10 GB/s copy bandwidth per core (Nehalem-EP: 32 GB/s per socket, ${S.nehalemMem}). Irrelevant for 1-byte TCP_RR.`,
        range: { lo: 0.05, hi: 0.3, why: '3–20 GB/s per core, cold to warm caches.' },
      },
      {
        path: 'profile.costs.guestMemFraction',
        unit: 'fraction',
        kind: 'assumed',
        source: `Share of guest network work stalled on memory, for the remote-NUMA penalty.`,
        range: {
          lo: 0.1,
          hi: 0.6,
          why: 'Network stacks are partly memory-bound (skb, socket, copies); no measurement found.',
        },
      },
      {
        path: 'profile.costs.udpStackFactor',
        unit: '× TCP',
        kind: 'assumed',
        source: `UDP's per-packet stack work (no connection state, ACK clocking or retransmit queue) relative to TCP's, for the guest's send and receive costs.`,
        range: { lo: 0.6, hi: 1, why: 'UDP does less per packet than TCP, never more.' },
      },
    ],
  },
  {
    title: 'vhost',
    rows: [
      {
        path: 'profile.costs.vhostTxPktNs',
        unit: 'ns',
        kind: 'assumed',
        source: `\`handle_tx\` per packet: copy into an skb, tap \`sendmsg\`, bridge, ixgbe \`xmit\` — the host TX stack runs in the vhost thread. The 4,000 ns assumed for a small packet less its descriptors (270 ns: \`vhostDescNs\` × 2 + \`vhostIndirectNs\`), which are charged apart so a layout change moves them.`,
        range: {
          lo: 2_000,
          hi: 8_000,
          why: 'Half to twice the assumption: the host TX stack costs several µs per packet in the 2012 kernels.',
        },
      },
      {
        path: 'profile.costs.vhostRxPktNs',
        unit: 'ns',
        kind: 'assumed',
        source: `\`handle_rx\` per packet: socket peek, buffer fetch, copy to the guest, used ring update.`,
        range: { lo: 1_250, hi: 5_000, why: 'Half to twice the assumption.' },
      },
      {
        path: 'profile.costs.vhostSignalNs',
        unit: 'ns',
        kind: 'assumed',
        source: `\`vhost_signal\` → eventfd → irqfd → \`kvm_set_irq\` → vCPU kick (\`__apic_accept_irq\` and \`vhost_signal\` are ~4 % each of ${S.vhostPerf}). Paid only when the guest wants the interrupt (\`vhost_notify\`).`,
        range: { lo: 400, hi: 2_000, why: 'An eventfd write and an irqfd injection: 1k–5k cycles.' },
      },
      {
        path: 'profile.costs.guestDescNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Writing one \`vring_desc\` (or indirect-table entry) in \`virtqueue_add_buf\` (torvalds/linux:drivers/virtio/virtio_ring.c): \`sg_phys\`, 16 bytes to a cache line the guest owns (~100 cycles).`,
        range: {
          lo: 20,
          hi: 100,
          why: 'A cache-hot store sequence at best, a miss on the ring line at worst.',
        },
      },
      {
        path: 'profile.costs.guestIndirectNs',
        unit: 'ns',
        kind: 'assumed',
        source: `\`vring_add_indirect\` allocates the table with \`kmalloc(GFP_ATOMIC)\`, and reclaiming the buffer frees it (slab fast paths, ~250 cycles each).`,
        range: {
          lo: 100,
          hi: 500,
          why: 'Slab fast path each way at best; a slow path or a cold object at worst.',
        },
      },
      {
        path: 'profile.costs.vhostDescNs',
        unit: 'ns',
        kind: 'assumed',
        source: `\`translate_desc\` for one descriptor in \`vhost_get_vq_desc\` (New-B/Linux3.6:drivers/vhost/vhost.c): the memory-region lookup and one read of guest memory; with \`vhostIndirectNs\` the descriptor work of a small packet is ~7 % of its handle_tx, against \`vhost_get_vq_desc\`'s 9.88 % of a vhost-net thread's samples in ${S.vhostPerf}.`,
        range: {
          lo: 30,
          hi: 150,
          why: 'A cached descriptor at best; a local-memory miss (81 ns on Nehalem) plus the lookup at worst.',
        },
      },
      {
        path: 'profile.costs.vhostIndirectNs',
        unit: 'ns',
        kind: 'assumed',
        source: `\`get_indirect\` (New-B/Linux3.6:drivers/vhost/vhost.c): translating the table's address and copying the table in from guest memory before its descriptors are walked.`,
        range: { lo: 80, hi: 400, why: 'One extra guest-memory miss and a short copy, to a few of them.' },
      },
      {
        path: 'profile.costs.vhostPerByteNs',
        unit: 'ns/byte',
        kind: 'assumed',
        source: 'As `guestPerByteNs`.',
        range: { lo: 0.05, hi: 0.3, why: 'As `guestPerByteNs`.' },
      },
      {
        path: 'profile.costs.vhostMemFraction',
        unit: 'fraction',
        kind: 'assumed',
        source: `vhost work is mostly copies and ring/descriptor accesses in guest memory, so half memory-bound.`,
        range: {
          lo: 0.2,
          hi: 0.8,
          why: 'Copies and ring accesses dominate, but part of the work is the host stack in cache.',
        },
      },
      {
        path: 'profile.costs.vqCacheTransferLocalNs',
        unit: 'ns',
        kind: 'assumed',
        source: `A vq's backend state (vq struct, ring indices, descriptors, tap socket): ~30 cache lines × ~20 ns L3 hit on the same socket (${S.sandra}). Paid when a vq's handler runs on a core other than the one that ran it last.`,
        range: { lo: 200, hi: 1_500, why: '10–50 lines at 20–30 ns.' },
      },
      {
        path: 'profile.costs.vqCacheTransferRemoteNs',
        unit: 'ns',
        kind: 'assumed',
        source: `The same 30 lines fetched across QPI at ~80 ns each (remote memory more than 50 % dearer than local, ${S.ibmEx5}; a cache-to-cache transfer across sockets costs more than a local memory access of 81 ns, ${S.sandra}).`,
        range: { lo: 1_000, hi: 5_000, why: '10–50 lines at 80–100 ns.' },
      },
      {
        path: 'profile.costs.cgroupAttachNs',
        unit: 'ns',
        kind: 'assumed',
        source: `CPU work of one \`cgroup_attach_task()\` in one hierarchy, paid for each hierarchy while holding \`cgroup_mutex\` (${S.cgroup36}): the subsystems' \`can_attach\`, \`find_css_set\` (a hash lookup, an allocation the first time), \`cgroup_task_migrate\` and each subsystem's \`attach\` (the CPU controller's \`sched_move_task\` dequeues and requeues the task). No measurement was found. Waiting (the mutex, \`synchronize_rcu\`) is modelled apart; the address-space switch (\`use_mm\`) is charged by the cache model.`,
        range: {
          lo: 300,
          hi: 5_000,
          why: "A few hundred ns of hash lookup and list moves up to a few µs with the cpuset and memory controllers' attach work.",
        },
      },
      {
        path: 'profile.costs.blockGuestSubmitNs',
        unit: 'ns',
        kind: 'fitted',
        source: `BLOCK: the guest's CPU per request submitted (fio, libaio \`io_submit\`, blk-mq, the SCSI midlayer, \`virtscsi_queuecommand\` and its descriptors). Fitted with \`blockGuestCompleteNs\` (split evenly, an assumption) so that one fio job with one worker gives the published 184k IOPS (${S.mwScsi}); notifications (kicks, interrupts, HLT) come on top from the model.`,
        range: {
          lo: 1_500,
          hi: 3_500,
          why: 'Half again either way of the fitted value: the published host is not named, and a 2021 server runs the block path faster than a Nehalem.',
        },
      },
      {
        path: 'profile.costs.blockGuestCompleteNs',
        unit: 'ns',
        kind: 'fitted',
        source: `BLOCK: the guest's CPU per request completed (\`virtscsi_complete_cmd\`, blk-mq completion, \`io_getevents\`, fio's reap). Fitted with \`blockGuestSubmitNs\` (above).`,
        range: { lo: 1_500, hi: 3_500, why: 'As blockGuestSubmitNs.' },
      },
      {
        path: 'profile.costs.blockVhostSubmitNs',
        unit: 'ns',
        kind: 'fitted',
        source: `BLOCK: vhost per request (\`vhost_scsi_handle_vq\`: descriptors, pinning the data pages, \`target_submit_cmd\`, a null backend that completes at once; \`torvalds/linux:drivers/vhost/scsi.c\`). Fitted with \`blockVhostCompleteNs\` (2 : 1, an assumption) so that one worker serving 4 jobs tops out near the published "stuck at around 500K IOPs" (${S.mwScsi}).`,
        range: {
          lo: 800,
          hi: 2_000,
          why: 'The one-worker ceiling of 500k IOPS bounds the pair at about 2 µs per request with its signal; the split is not known.',
        },
      },
      {
        path: 'profile.costs.blockVhostCompleteNs',
        unit: 'ns',
        kind: 'fitted',
        source: `BLOCK: vhost per completion (\`vhost_scsi_complete_cmd_work\`: the response copied out, \`vhost_add_used\`, the command released; one \`vhost_signal\` per batch at \`vhostSignalNs\`). Fitted with \`blockVhostSubmitNs\` (above).`,
        range: { lo: 300, hi: 1_200, why: 'As blockVhostSubmitNs.' },
      },
      {
        path: 'policy.cgroupAttach',
        unit: '',
        kind: 'assumed',
        source: `How a shared per-CPU worker keeps each VM's cgroup charged. The talk: the worker "is attached to the cgroup on the VM which the work comes from" and "when idle/need_resched ... detached" (\`per-change\`). In 3.6 that is \`cgroup_attach_task_all()\` (${S.cgroup36}): the global \`cgroup_mutex\`, every hierarchy, a \`synchronize_rcu()\` grace period in each, and \`cpuset_can_attach()\` refusing a \`kthread_bind()\`-pinned thread (${S.cpuset36}). So one VM change sleeps ~(hierarchies − 1) × grace ≈ 21 ms holding a machine-wide mutex: fewer than 50 VM changes per second for the whole host, where the per-CPU design changes VM on most works (tens of thousands per second). A patch paying that could not have produced the TCP_RR curves the talk shows for per-CPU at all (${S.talk}: "Per CPU Vhost thread shows win with many VMs"; here a per-change run moves almost nothing), so the patch cannot have attached synchronously on every change on a 3.6-era kernel; what it did is not published. \`lazy\` (attach on a VM change, never detach) pays the same per change. **Default \`charge\`**: the worker stays in its cgroup and the time it runs for a VM is charged to that VM's cgroup (what \`cpuacct\`-style accounting needs, a few lines in the worker; CPU shares then do not throttle the worker). \`vhost-sim run --model per-cpu --set policy.cgroupAttach=per-change\` shows the collapse.`,
        range: null,
      },
      {
        path: 'vhost.weightPkts',
        unit: 'packets',
        kind: 'sourced',
        source: `\`VHOST_NET_PKT_WEIGHT\` (later kernels; \`torvalds/linux:drivers/vhost/net.c\`).`,
        range: null,
      },
      {
        path: 'vhost.byteWeight',
        unit: 'bytes',
        kind: 'sourced',
        source: `\`VHOST_NET_WEIGHT\` 0x80000 (${S.vhostNet}).`,
        range: null,
      },
      {
        path: 'ringSize',
        unit: 'descriptors',
        kind: 'sourced',
        source: "QEMU's default virtio-net queue size.",
        range: null,
      },
    ],
  },
  {
    title: 'Guest network stack',
    rows: [
      {
        path: 'guest.sndbufBytes',
        unit: 'bytes',
        kind: 'sourced',
        source: `A UDP socket's \`sk_sndbuf\`: \`net.core.wmem_default\` (212,992 on x86-64), which netperf keeps unless given \`-s\`. A send sleeps in \`sock_alloc_send_pskb\` while \`sk_wmem_alloc\` is at or above it and is woken when half is free (\`sock_def_write_space\`, \`New-B/Linux3.6:net/core/sock.c\`). virtio-net orphans an skb when it reaches the ring (\`skb_orphan\` in \`start_xmit\`, \`New-B/Linux3.6:drivers/net/virtio_net.c\`), so only packets waiting in the qdisc count: 92 datagrams of 1,472 bytes (truesize 2,304).`,
        range: null,
      },
      {
        path: 'guest.txqueuelen',
        unit: 'packets',
        kind: 'sourced',
        source:
          "An Ethernet device's default `tx_queue_len` (`ether_setup`), the limit of `pfifo_fast`; beyond it the qdisc drops (`qdiscFull`).",
        range: null,
      },
      {
        path: 'guest.mergeableRxBufs',
        unit: 'flag',
        kind: 'sourced',
        source:
          'vhost-net offers `VIRTIO_NET_F_MRG_RXBUF` and the 3.6 guest takes it: each RX buffer is one 4 KiB page (`add_recvbuf_mergeable`), a packet spans `ceil((bytes + 12) / 4096)` of them (`get_rx_bufs`, `New-B/Linux3.6:drivers/vhost/net.c`; `receive_mergeable`, `New-B/Linux3.6:drivers/net/virtio_net.c`), so a 256-entry RX ring holds 15 GSO-sized packets; each buffer costs vhost a descriptor (`vhostDescNs`) and the guest one to take back and refill (`guestDescNs`). Off: one big buffer per packet.',
        range: null,
      },
      {
        path: 'guest.indirectDesc',
        unit: 'flag',
        kind: 'sourced',
        source:
          'QEMU offers `VIRTIO_RING_F_INDIRECT_DESC` and the 3.6 guest uses it for any buffer of more than one scatter-gather entry (`vring_add_indirect`, `New-B/Linux3.6:drivers/virtio/virtio_ring.c`): one ring slot per packet. Off, a packet takes the virtio header, its linear part and one slot per 4 KiB fragment, and the queue stops (fewer than `2 + MAX_SKB_FRAGS` = 19 slots free) after fewer packets.',
        range: null,
      },
    ],
  },
  {
    title: 'Later designs, workloads and paths',
    rows: [
      {
        path: 'profile.costs.nicRxIrqNs',
        unit: 'ns',
        kind: 'assumed',
        source: `NIC receive softirq per frame: the NAPI poll's descriptor and skb work (\`ixgbe_clean_rx_irq\`, ${S.ixgbe}), \`netif_receive_skb\`, the bridge, the tap enqueue and the wake-up of the vhost thread (~7k cycles). Together with \`nicIrqNs\` it keeps the 4 µs per frame the profile charged before interrupts and frames were told apart.`,
        range: { lo: 1_500, hi: 6_000, why: 'Half to twice the assumption.' },
      },
      {
        path: 'profile.costs.ipiIrqNs',
        unit: 'ns',
        kind: 'assumed',
        source: `The host's handling of the reschedule IPI that \`kvm_vcpu_kick()\` sends to a CPU running the target vCPU in guest mode (${S.kvmMain}): the external-interrupt exit's handling and \`scheduler_ipi\`, between the exit (\`vmExitNs\`) and the re-entry that injects the interrupt. ~1.2k cycles.`,
        range: { lo: 200, hi: 1_500, why: 'A bare IPI handler up to one with the exit-handling path cold.' },
      },
      {
        path: 'profile.costs.nicIrqNs',
        unit: 'ns',
        kind: 'assumed',
        source: `One NIC receive interrupt: the MSI-X hard interrupt (\`ixgbe_msix_clean_rings\`, ${S.ixgbe}), \`napi_schedule\`, the softirq's entry and exit and the re-enable at \`napi_complete\` (~2.4k cycles). Paid once per interrupt, however many frames its poll takes.`,
        range: { lo: 500, hi: 3_000, why: 'From a bare interrupt entry and exit to one with cold caches.' },
      },
      {
        path: 'profile.costs.bridgeForwardNs',
        unit: 'ns',
        kind: 'assumed',
        source: `East-west: the receive half a NIC softirq would do (netif_receive on the bridge, FDB lookup, the other tap's enqueue and wake-up), run in the sending vhost thread. Set below \`nicRxIrqNs\`, which also pays the hard interrupt and NAPI.`,
        range: { lo: 1_500, hi: 6_000, why: 'Half to twice the assumption.' },
      },
      {
        path: 'profile.costs.pollCheckNs',
        unit: 'ns',
        kind: 'assumed',
        source: `One look at one queue by a polling thread: the avail index and the socket head, a couple of cache lines.`,
        range: { lo: 50, hi: 300, why: 'Two L3 hits to two remote cache lines.' },
      },
      {
        path: 'profile.costs.pmdPktNs',
        unit: 'ns',
        kind: 'assumed',
        source: `OVS-DPDK per packet: vhost-user burst dequeue or enqueue (a descriptor walk and a copy in userspace) plus the EMC/flow lookup; DPDK forwards 64-byte frames at line rate (${S.lineRate}) on one core, and vhost-user costs several times that.`,
        range: { lo: 200, hi: 1_000, why: '3–15× a line-rate packet time.' },
      },
      {
        path: 'profile.nic.mssBytes',
        unit: 'bytes',
        kind: 'sourced',
        source: 'TCP payload per 1,500-byte frame with timestamps (1500 − 20 − 20 − 12).',
        range: null,
      },
      {
        path: 'profile.nic.txRingFrames',
        unit: 'frames',
        kind: 'sourced',
        source: `ixgbe's default transmit ring (512 descriptors, ${S.ixgbe}).`,
        range: null,
      },
      {
        path: 'policy.busyPollUs',
        unit: 'µs',
        kind: 'sourced',
        source: `A common \`poll-us\` setting for QEMU's tap backend (${S.qemuPollUs}); the kernel default is 0 (off).`,
        range: null,
      },
      {
        path: 'policy.sidecoresPerNode',
        unit: 'cores',
        kind: 'assumed',
        source: `One dedicated core per socket, as OVS-DPDK deployments pin one PMD per NUMA node at least (\`policy.pmdCores\` empty: the last core of each node).`,
        range: null,
      },
      {
        path: 'policy.autoLbIntervalS',
        unit: 's',
        kind: 'sourced',
        source: `OVS-DPDK \`pmd-auto-lb\` default (${S.ovsPmd}).`,
        range: null,
      },
      {
        path: 'policy.autoLbLoadThreshold',
        unit: 'fraction',
        kind: 'sourced',
        source: `OVS-DPDK \`pmd-auto-lb-load-threshold\` default 95 % (${S.ovsPmd}).`,
        range: null,
      },
      {
        path: 'policy.autoLbImprovementThreshold',
        unit: 'fraction',
        kind: 'sourced',
        source: `OVS-DPDK \`pmd-auto-lb-improvement-threshold\` default 25 % (${S.ovsPmd}).`,
        range: null,
      },
      {
        path: 'policy.autoLbRebalIntervalS',
        unit: 's',
        kind: 'sourced',
        source: `OVS-DPDK \`pmd-auto-lb-rebal-interval\` default 1 minute (${S.ovsPmd}).`,
        range: null,
      },
      {
        path: 'workload.windowBytes',
        unit: 'bytes',
        kind: 'assumed',
        source: `The receiver's advertised window (256 KiB), below autotuning's maximum; the 10GbE bandwidth-delay product here is ~60 KiB. The sender's congestion window starts at 10 segments (\`TCP_INIT_CWND\`), grows in slow start and by one segment per window after, halves on a drop (Reno; 3.6's CUBIC backs off by 0.3) and falls to one segment on an RTO (200 ms, \`TCP_RTO_MIN\`) (\`New-B/Linux3.6:include/net/tcp.h\`, \`net/ipv4/tcp_cong.c\`). The receiver ACKs more than one full segment at once, else on the 40 ms delayed-ACK timer (\`TCP_DELACK_MIN\`), quick-ACKing the first 16 (\`__tcp_ack_snd_check\`, \`New-B/Linux3.6:net/ipv4/tcp_input.c\`).`,
        range: null,
      },
      {
        path: 'workload.direction',
        unit: 'rule',
        kind: 'assumed',
        source: `\`rx\`: netperf TCP_MAERTS, the external peer streaming to the guest (\`src/workloads/rxStream.ts\`). The peer's TCP follows the same Linux rules as the guest's (windows, TSO deferral, ACK-clocked); its CPU is not simulated: it always has data, its NIC's queue is unbounded (connections whose windows exceed what the wire carries queue there and see a longer RTT; the run's sent side counts what crossed the wire), and its stack answers an ACK after \`nic.peerTurnaroundNs\` (fitted to TCP_RR, so an upper bound for a kernel-only reply; the 256 KiB window covers RTTs up to ~200 µs at 10 Gbit/s, so it does not bind). The guest opens the connection (ATR learns the flow from it and from the guest's ACKs), receives through GRO, the bridge and tap, \`handle_rx\` into mergeable buffers and NAPI, and ACKs as Linux does. UDP is refused: a UDP flood would need \`ksoftirqd\` (softirq deferral, \`New-B/Linux3.6:kernel/softirq.c\`), which is not modelled.`,
        range: null,
      },
      {
        path: 'workload.pairing',
        unit: 'rule',
        kind: 'assumed',
        source: `East-west pairs (\`src/workloads/pairing.ts\`): \`neighbor\` (VM v to v+1: with VMs alternating nodes and an even count, every pair crosses sockets), \`same-node\`, \`cross-node\`, \`random\` (a seeded cycle through all VMs). The talk says only that VM-to-VM ("local") traffic trends like TCP_RR (${S.talk}), not how pairs were placed; \`random\` is the default because a test that did not place VMs on purpose crosses sockets about half the time, where the other rules decide the answer in advance. The path: the sending vhost thread forwards through tap and the bridge into the receiver's tap socket (\`bridgeForwardNs\` per packet, the copy per byte at \`vhostPerByteNs\` on each side); no NIC.`,
        range: null,
      },
      {
        path: 'workload.gsoBytes',
        unit: 'bytes',
        kind: 'sourced',
        source:
          "`tcp_sendmsg`'s size goal: GSO/TSO super-packets of 45 × 1,448 bytes (the largest multiple of the MSS under 64 KiB), handed to virtio as one buffer chain and cut into frames by the NIC (TSO); east-west the receiving guest takes them whole (VIRTIO_NET_F_GUEST_TSO4). An skb grows to it only while the windows hold data back (`tcp_tso_should_defer`, `New-B/Linux3.6:net/ipv4/tcp_output.c`); a write meeting an open window leaves as it is.",
        range: null,
      },
      {
        path: 'workload.messageBytes',
        unit: 'bytes',
        kind: 'sourced',
        shown: '16,384 (TCP), 1,472 (UDP)',
        source:
          "netperf's default send size is the socket buffer size (16 KiB on Linux for TCP); for UDP, a datagram that fits one frame (1500 − 28). `0` in a scenario means these defaults.",
        range: null,
      },
      {
        path: 'workload.iodepth',
        unit: 'requests',
        kind: 'sourced',
        source: `BLOCK: requests a fio job keeps in flight (fio's \`iodepth\`, default 1; the multi-worker vhost-scsi measurements used 128, ${S.mwScsi}). Each job submits on its own request queue (blk-mq maps the vCPU to a virtqueue).`,
        range: null,
      },
      {
        path: 'workload.blockBytes',
        unit: 'bytes',
        kind: 'sourced',
        source: `BLOCK: fio \`bs\`, 4 KiB random requests as in ${S.mwScsi}; reads and writes alternate (\`randrw\`, \`rwmixread=50\`).`,
        range: null,
      },
    ],
  },
  {
    title: 'KVM interrupt delivery',
    rows: [
      {
        path: 'profile.kvm.kickExit',
        unit: '',
        kind: 'sourced',
        source: `An interrupt (vhost's irqfd signal, a guest IPI) for a vCPU running guest code on another CPU: \`kvm_vcpu_kick()\` sends that CPU a reschedule IPI (\`smp_send_reschedule\`, ${S.kvmMain}); the guest exits, the host takes the IPI (\`ipiIrqNs\`) and re-enters with the interrupt injected (\`vmExitNs\`). A halted vCPU is woken instead (its core's \`idleExitNs\` includes the wake-up IPI); a queued one takes it at its next entry. Counted in \`hostCosts.kickExitsPerSec\`. \`false\`: delivered for free (an ablation). **Not modelled:** the exit of a guest whose core is sent a reschedule IPI to wake another thread.`,
        range: null,
      },
      {
        path: 'profile.kvm.postedInterrupts',
        unit: '',
        kind: 'sourced',
        source: `false: Nehalem has no APICv; posted interrupts (the running guest takes the interrupt without an exit) came with Ivy Bridge-EP and Linux 3.10 (ELI, ${S.eli}, shows what removing these exits is worth).`,
        range: null,
      },
    ],
  },
  {
    title: 'Shared cache lines: work_lock and the dispatch index',
    rows: [
      {
        path: 'profile.costs.lineLlcNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Pulling a line another core of the same L3 has modified: on Nehalem the inclusive L3 snoops the owning core (an L3 hit is 47 cycles, ${S.sandra}; a line modified in another core about twice that, ~40 ns at 2.4 GHz). Paid by whoever takes a worker's \`dev->work_lock\` after another CPU did (\`vhost_work_queue()\` on the queueing CPU, the dequeue in \`vhost_worker()\`, ${S.vhost36}), and for a dispatching design's load index.`,
        range: { lo: 20, hi: 80, why: 'From an L3 hit to a snoop of a core in a deep C-state.' },
      },
      {
        path: 'profile.costs.lineRemoteNs',
        unit: 'ns',
        kind: 'assumed',
        source: `The same line from a core of another L3 (on the talk's host the other socket, over QPI): more than a local memory access of 81 ns (${S.sandra}), as for the lines of \`vqCacheTransferRemoteNs\`.`,
        range: {
          lo: 80,
          hi: 250,
          why: 'One-hop QPI cache-to-cache transfers on two-socket Xeons of 2009–2012.',
        },
      },
      {
        path: 'profile.costs.workLockHoldNs',
        unit: 'ns',
        kind: 'assumed',
        source: `How long \`vhost_work_queue()\` holds \`dev->work_lock\` (${S.vhost36}): \`list_add_tail()\` and \`wake_up_process()\` of the worker, under the lock with interrupts off; a CPU that takes the lock meanwhile spins the rest (\`hostCosts.workLockSpinsPerSec\`). The uncontended lock itself is inside the kick's, the softirq's and the handler's calibrated costs; only the transfer and the spin are added.`,
        range: {
          lo: 100,
          hi: 1_000,
          why: 'A list add alone, up to a try_to_wake_up() that places the thread on a remote run queue.',
        },
      },
      {
        path: 'profile.costs.napiPollNs',
        unit: 'ns',
        kind: 'assumed',
        source: `One more \`ixgbe_poll()\` round for a queue whose poll used its whole NAPI budget: \`net_rx_action()\`'s list handling, the TX ring clean, the per-ring setup (${S.ixgbe}). The first round of a batch is inside \`nicIrqNs\`.`,
        range: {
          lo: 200,
          hi: 2_000,
          why: 'A few hundred ns of loop overhead up to a TX-ring clean with completions.',
        },
      },
      {
        path: 'profile.locks.workLock',
        unit: '',
        kind: 'sourced',
        source: `Each worker's \`work_lock\` and work list as one shared line, taken by every \`vhost_work_queue()\` and by the worker's dequeue (${S.vhost36}). \`false\`: sharing costs nothing (an ablation).`,
        range: null,
      },
      {
        path: 'profile.locks.dispatchLines',
        unit: '',
        kind: 'assumed',
        source: `A design that dispatches by load (per-cpu) keeps a load index per node, written by the pick on the queueing CPU and by the finishing worker's CPU; taken as one cache line per node (8 workers' loads fit in 64 bytes). \`false\`: an ablation.`,
        range: null,
      },
    ],
  },
  {
    title: 'cgroup attach',
    rows: [
      {
        path: 'profile.cgroup.hierarchies',
        unit: 'hierarchies',
        kind: 'assumed',
        source: `cgroup hierarchies mounted on a 2012 libvirt host, each of which \`cgroup_attach_task_all()\` walks (${S.cgroup36}): RHEL 6's cgconfig mounts cpuset, cpu, cpuacct, memory, devices, freezer, net_cls and blkio each on its own hierarchy, and libvirt puts every VM in each.`,
        range: {
          lo: 1,
          hi: 10,
          why: "From all controllers co-mounted on one hierarchy to one each plus systemd's named hierarchy.",
        },
      },
      {
        path: 'profile.cgroup.cpuset',
        unit: '',
        kind: 'sourced',
        source: `A cpuset hierarchy is mounted; \`cpuset_can_attach()\` returns -EINVAL for a \`PF_THREAD_BOUND\` task (${S.cpuset36}), so a bound per-CPU worker's attach fails there at once (no grace period; counted in \`hostCosts.cgroupAttachesRefusedPerSec\`). **Simplified:** the cpuset hierarchy is taken to be walked last, so the other hierarchies are attached.`,
        range: null,
      },
      {
        path: 'profile.cgroup.rcuGraceNs',
        unit: 'ns',
        kind: 'assumed',
        source: `One \`synchronize_rcu()\` grace period, which \`cgroup_attach_task()\` waits for after each hierarchy's attach (${S.cgroup36}). A grace period ends when every CPU has passed a quiescent state, detected from the scheduling-clock tick (HZ = 1000): a few ms on an 8-CPU host. The attaching thread sleeps (it costs no CPU) and holds \`cgroup_mutex\` throughout.`,
        range: {
          lo: 500_000,
          hi: 30_000_000,
          why: 'From an idle host with prompt quiescent states to a busy one where grace periods stretch to tens of ms.',
        },
      },
      {
        path: 'profile.cgroup.globalMutex',
        unit: '',
        kind: 'sourced',
        source: `\`cgroup_attach_task_all()\` takes the global \`cgroup_mutex\` (\`cgroup_lock()\`, ${S.cgroup36}); a thread that finds it held sleeps until it is handed over. \`false\` lets every attach proceed at once (an ablation).`,
        range: null,
      },
    ],
  },
  {
    title: 'Caches, TLB and address spaces',
    rows: [
      {
        path: 'profile.cache.model',
        unit: '',
        kind: 'sourced',
        source: `\`address-space\`: each core's L2 and each socket's L3 hold the working sets of the VMs that ran there most recently (LRU lists sized by \`l2KiB\`, \`llcKiB\` and \`workingSetKiB\`), and each core's CR3 holds one address space. A vhost thread runs in its VM's QEMU \`mm\` (\`use_mm()\` in \`vhost_worker()\`, ${S.vhost36}), so a vCPU and its own vhost thread share data and address space; a shared worker meets each VM's data and switches \`mm\`. \`switch_mm()\` writes CR3 only for a different mm (${S.mmu36}). \`thread\`: the earlier rule, a flat \`cacheRefillNs\` whenever another thread ran on the core in between, for comparison.`,
        range: null,
      },
      {
        path: 'profile.cache.l2KiB',
        unit: 'KiB',
        kind: 'sourced',
        source: `Xeon E5530: 256 KiB private L2 per core (${S.cacheRefs}).`,
        range: null,
      },
      {
        path: 'profile.cache.llcKiB',
        unit: 'KiB',
        kind: 'sourced',
        source: `Xeon E5530: 8 MiB inclusive L3 shared by the socket's four cores (${S.cacheRefs}). One LLC per socket.`,
        range: null,
      },
      {
        path: 'profile.cache.workingSetKiB',
        unit: 'KiB',
        kind: 'assumed',
        source: `The data one VM's network path touches between two switches on a core: the guest's stack and socket buffers, the rings and descriptors, vhost's copies and the tap socket. With 128 KiB two VMs fit one L2 and 64 fit one L3. The cost "grows with working-set size" (${S.tsuna}).`,
        range: {
          lo: 32,
          hi: 512,
          why: 'A 1-byte request/response touches a few dozen KiB; a stream with 64 KiB GSO buffers several hundred.',
        },
      },
      {
        path: 'profile.cache.pcid',
        unit: '',
        kind: 'sourced',
        source: `false: Linux 3.6 does not use PCID, so every CR3 write flushes the non-global TLB entries (${S.pcid}).`,
        range: null,
      },
      {
        path: 'profile.costs.cacheRefillNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Refilling a VM's working set into a core's L2 from the socket's L3, when the VM's data is not in this core's L2 (another VM's ran there since). The cost "grows with working-set size" and affinity "greatly improves" it (${S.tsuna}): ~150 hot lines at the L3's 47 cycles (${S.sandra}) ≈ 3 µs. With \`cache.model = thread\`, the flat refill after any other thread.`,
        range: { lo: 1_000, hi: 8_000, why: 'From ~50 to ~400 hot lines, by working set and prefetching.' },
      },
      {
        path: 'profile.costs.memRefillNs',
        unit: 'ns',
        kind: 'assumed',
        source: `The same refill when the VM's data was evicted from the L3 too (or never was there): memory at 81 ns against the L3's ~20 ns (${S.sandra}), so ~4 × \`cacheRefillNs\` — derived.`,
        range: {
          lo: 5_000,
          hi: 25_000,
          why: 'Memory-level parallelism hides part of the latency; remote memory adds to it.',
        },
      },
      {
        path: 'profile.costs.tlbRefillNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Page walks after a CR3 write flushed the TLB (no PCID, ${S.pcid}): Nehalem's 64-entry DTLB and 512-entry STLB; ~80 walks of ~30 cycles that hit the caches ≈ 1 µs. Paid by host-mode work (a vhost thread copying through QEMU's page tables); a vCPU's guest translations are tagged by VPID and survive the host's CR3 write (${S.splitx} ran with VPID).`,
        range: { lo: 300, hi: 3_000, why: 'From a handful of hot pages to a full STLB of walks.' },
      },
    ],
  },
  {
    title: 'Host scheduler and cores',
    rows: [
      {
        path: 'profile.costs.ctxSwitchNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Within the published range: ~1.1 µs per thread switch and ~2.4 µs per process switch on a modern core (${S.ctxModern}); Nehalem with a 2.6.32-era \`schedule()\` (CFS pick, mm switch for vhost's \`use_mm\`) sits in between.`,
        range: { lo: 1_000, hi: 3_000, why: 'From a modern thread switch to an older process switch.' },
      },
      {
        path: 'profile.costs.idleExitNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Wake-up IPI plus exit from C1 on Nehalem (${S.intelIdle}). Only paid by a core that has actually been idle.`,
        range: {
          lo: 2_000,
          hi: 10_000,
          why: 'C1 exit (3 µs) to a mix with C3 (20 µs, chosen by the governor only after idles of 80 µs or more).',
        },
      },
      {
        path: 'profile.costs.remoteNumaPenalty',
        unit: '× extra',
        kind: 'measured',
        source: `Remote memory access "more than 50 % higher than local" (${S.ibmEx5}; a Nehalem-EX figure, EP is similar). Applied to the memory-bound fraction of work done off the VM's node.`,
        range: {
          lo: 0.3,
          hi: 1,
          why: 'Nehalem-EP remote/local latency ratios of 1.3–2 (local 81 ns, remote over QPI).',
        },
      },
      {
        path: 'profile.sched.latencyNs',
        unit: 'ns',
        kind: 'sourced',
        source: `\`sysctl_sched_latency\` 6 ms × (1 + log2 8 CPUs), the kernel's default scaling (${S.fair}).`,
        range: null,
      },
      {
        path: 'profile.sched.minGranularityNs',
        unit: 'ns',
        kind: 'sourced',
        source: `\`sysctl_sched_min_granularity\` 0.75 ms × 4 (${S.fair}). µs bursts never reach it.`,
        range: null,
      },
      {
        path: 'profile.sched.wakeupGranularityNs',
        unit: 'ns',
        kind: 'sourced',
        source: `\`sysctl_sched_wakeup_granularity\` 1 ms × 4 (${S.fair}).`,
        range: null,
      },
      {
        path: 'profile.sched.migrationCostNs',
        unit: 'ns',
        kind: 'sourced',
        source: `\`sysctl_sched_migration_cost\` default: a task that ran this recently is cache hot (\`task_hot()\`, kept by periodic balancing), and new-idle balancing is skipped when \`avg_idle\` is shorter (${S.fair}).`,
        range: null,
      },
      {
        path: 'profile.sched.hz',
        unit: 'ticks/s',
        kind: 'assumed',
        source: `\`CONFIG_HZ\` 1000 (the scheduler tick: \`scheduler_tick()\` updates \`cpu_load[]\`, ${S.core}). Distribution kernels of 2012 shipped 250 or 1000; balancing intervals are counted in ticks and \`cpu_load[]\` decays per tick.`,
        range: { lo: 250, hi: 1000, why: 'CONFIG_HZ=250 (Ubuntu, Debian) or 1000 (RHEL 6, Fedora) in 2012.' },
      },
      {
        path: 'profile.sched.wakeAffine',
        unit: '',
        kind: 'sourced',
        source: `\`wake_affine()\` (v3.6 \`kernel/sched/fair.c\`): a wake-up may move the wakee to its waker's CPU when the two CPUs' loads allow it. \`false\` keeps the previous CPU as the target (an ablation, docs/scheduler.md).`,
        range: null,
      },
      {
        path: 'profile.sched.selectIdleSibling',
        unit: '',
        kind: 'sourced',
        source: `\`select_idle_sibling()\` (v3.6): an idle CPU in the target's last-level cache. \`false\`: the target it is (ablation).`,
        range: null,
      },
      {
        path: 'profile.sched.numaAffineDistance',
        unit: '',
        kind: 'sourced',
        source: `\`sd_local_flags()\` compares the NUMA level's distance with \`RECLAIM_DISTANCE\` (30) in the 3.6 tree (\`liulijun-dev/linux-3.6:kernel/sched/core.c\`), so Nehalem-EP's 21 keeps \`SD_WAKE_AFFINE\` across sockets; \`remote\` is the first 3.5 rewrite's \`REMOTE_DISTANCE\` (20), which dropped it (Alex Shi, LKML, June 2012).`,
        range: null,
      },
      {
        path: 'profile.sched.periodicBalance',
        unit: '',
        kind: 'sourced',
        source: `\`rebalance_domains()\` / \`load_balance()\` at every domain level with the intervals of \`SD_*_INIT\` (\`New-B/Linux3.6:include/linux/topology.h\`) and \`sd_numa_init()\` (${S.core}). \`false\`: ablation.`,
        range: null,
      },
      {
        path: 'profile.sched.cacheHot',
        unit: '',
        kind: 'sourced',
        source: `\`can_migrate_task()\` refuses a task that ran within \`sysctl_sched_migration_cost\` (\`task_hot()\`) until balancing failed \`cache_nice_tries\` times. \`false\`: ablation.`,
        range: null,
      },
      {
        path: 'profile.sched.decayedLoad',
        unit: '',
        kind: 'sourced',
        source: `\`cpu_load[]\` decayed per tick (\`__update_cpu_load()\`, ${S.core}), read at each domain's \`busy_idx\` / \`idle_idx\`; 3.6 has no PELT (3.8). \`false\`: every index reads the instantaneous load (ablation).`,
        range: null,
      },
    ],
  },
  {
    title: 'NIC, wire and the external peer',
    rows: [
      {
        path: 'profile.nic.lineRateGbps',
        unit: 'Gbit/s',
        kind: 'sourced',
        source: `X540-SR1 10GbE (${S.talk}).`,
        range: null,
      },
      {
        path: 'profile.nic.frameOverheadBytes',
        unit: 'bytes',
        kind: 'sourced',
        source: 'Ethernet (14 + 4 FCS + 8 preamble + 12 IFG) + IPv4 20 + TCP 20 with timestamps 12.',
        range: null,
      },
      {
        path: 'profile.nic.txNs',
        unit: 'ns',
        kind: 'assumed',
        source: `Descriptor write, doorbell, DMA read over PCIe 2.0.`,
        range: { lo: 500, hi: 2_000, why: 'One to a few PCIe round trips (~250–500 ns each).' },
      },
      {
        path: 'profile.nic.wireNs',
        unit: 'ns',
        kind: 'assumed',
        source: `One-way fibre plus one switch hop on 10GbE.`,
        range: {
          lo: 500,
          hi: 5_000,
          why: 'A cut-through switch (~0.5 µs) to a store-and-forward one and longer fibre.',
        },
      },
      {
        path: 'profile.nic.rxRingFrames',
        unit: 'frames',
        kind: 'sourced',
        source: `ixgbe's default receive ring per queue (\`IXGBE_DEFAULT_RXD\` 512, \`drivers/net/ethernet/intel/ixgbe/ixgbe.h\`, ${S.ixgbe}). A frame holds its descriptor until the softirq batch that takes it ends; a frame finding all of its CPU's descriptors held is dropped by the NIC (\`nicRxFull\`, ixgbe's \`rx_missed_errors\`). **Simplified:** the batch frees its descriptors at its end, not poll by poll, so the ring binds a little early under overload; it never binds in the default workloads.`,
        range: null,
      },
      {
        path: 'profile.nic.gro',
        unit: 'flag',
        kind: 'sourced',
        source: `Generic receive offload, on by default since 2.6.29; ixgbe hands every frame to \`napi_gro_receive()\` (\`ixgbe_clean_rx_irq\`, ${S.ixgbe}) and \`skb_gro_receive()\` merges consecutive TCP segments of a flow into one skb of up to 64 KiB (\`New-B/Linux3.6:net/core/skbuff.c\`), which the bridge and tap pass to vhost whole. **Assumed:** each TSO burst of the external peer (up to 45 frames, sent back to back at line rate) is merged back into one skb: under a bulk stream ixgbe's adaptive ITR falls to \`IXGBE_8K_ITR\` (125 µs, \`ixgbe_update_itr\`), longer than a 64 KiB burst's 53 µs on the wire. Off: each frame goes up the stack as a packet of its own (the 2009 tester's "host GRO off").`,
        range: null,
      },
      {
        path: 'profile.costs.groFrameNs',
        unit: 'ns',
        kind: 'assumed',
        source: `A received TCP frame that GRO merges into the skb it holds (\`ixgbe_clean_rx_irq\`'s descriptor and page work, \`napi_gro_receive\` -> \`tcp_gro_receive\` matching the flow, \`skb_gro_receive\` attaching the page, ${S.ixgbe}; \`New-B/Linux3.6:net/core/dev.c\`): ~1.2k cycles. The merged skb's first frame pays \`nicRxIrqNs\` (the stack, bridge and tap once). No per-frame measurement of the era was found; a Nehalem core receiving 10GbE with GRO (~800k frames/s) leaves about 1.2 µs per frame for everything, copy to user included.`,
        range: {
          lo: 250,
          hi: 1_500,
          why: 'A cache-hot merge of a few hundred cycles up to a cold descriptor and page each frame.',
        },
      },
      {
        path: 'profile.nic.itrIntervalNs',
        unit: 'ns',
        kind: 'sourced',
        source: `ixgbe interrupt moderation (EITR, ${S.ixgbe}) as a rate limit per receive queue: an interrupt fires at once when the queue's last one is older than the interval, else at the interval's end; frames arriving while it is pending or while its NAPI poll runs (interrupt masked until \`napi_complete\`) join that poll. 10 µs is \`IXGBE_100K_ITR\` (40 = 10 µs << 2), the lowest-latency setting adaptive ITR (\`ixgbe_update_itr\`) picks for small request/response traffic. **Simplified:** the interval is fixed, not adapted to the traffic. 0 = no moderation.`,
        range: {
          lo: 10_000,
          hi: 125_000,
          why: 'From IXGBE_100K_ITR to the 8K interrupts/s bulk setting adaptive ITR moves to under streams.',
        },
      },
      {
        path: 'profile.nic.napiBudget',
        unit: 'frames',
        kind: 'sourced',
        source: `The NAPI weight ixgbe registers per queue vector (64: \`netif_napi_add(..., ixgbe_poll, 64)\` in \`ixgbe_alloc_q_vector()\`, \`New-B/Linux3.6:drivers/net/ethernet/intel/ixgbe/ixgbe_lib.c\`): \`ixgbe_poll()\` cleans at most that many frames and, when it used them all, returns the budget so \`net_rx_action()\` polls the queue again without re-enabling its interrupt (\`ixgbe_poll()\` in \`New-B/Linux3.6:drivers/net/ethernet/intel/ixgbe/ixgbe_main.c\`, \`net_rx_action()\` in \`New-B/Linux3.6:net/core/dev.c\`). Each further round costs \`napiPollNs\` (\`hostCosts.napiRepollsPerSec\`). **Simplified:** a batch's frames reach their sockets together at its end, and \`net_rx_action()\`'s own limits (\`netdev_budget\` 300 frames, 2 jiffies, then \`ksoftirqd\`) are not modelled. 0 = no budget (an ablation).`,
        range: null,
      },
      {
        path: 'profile.nic.atrSampleRate',
        unit: 'packets',
        kind: 'sourced',
        source: `Flow Director ATR learns only TCP flows ("Currently only IPv4/IPv6 with TCP is supported", \`ixgbe_atr\`, ${S.ixgbe}), from transmitted packets: a flow's SYN always programs the filter, then one packet in \`atr_sample_rate\` (default 20) of the TX queue does. UDP and unlearned flows are RSS-hashed over the receive queues (one per CPU).`,
        range: null,
      },
      {
        path: 'profile.nic.steering',
        unit: '',
        kind: 'sourced',
        source: `ixgbe enables Flow Director ATR by default (${S.ixgbe}): receive interrupts follow the CPU that last transmitted on the flow. The 2012 RFC notes results "seem related to NIC flow steering" (${S.rfc}).`,
        range: null,
      },
      {
        path: 'profile.nic.irqCpus',
        unit: 'CPU ids',
        kind: 'assumed',
        source: `With \`fixed\` steering, receive interrupts on CPU 0 (an unbalanced IRQ affinity).`,
        range: null,
      },
      {
        path: 'profile.nic.peerTurnaroundNs',
        unit: 'ns',
        kind: 'fitted',
        source: `The only fitted value: the external netperf server's receive, turnaround and send, chosen so that the default scenario (1 VM, 1 vCPU, 1 device, 1 TCP_RR instance, per-device) lands at the middle of the published 12.9k–14.2k transactions/s (${S.mstRr}). A bare-metal 2012 peer answering in ~30 µs is in line with bare-metal 10GbE TCP_RR of that era (~25–30k transactions/s for both ends together).`,
        range: {
          lo: 29_000,
          hi: 35_000,
          why: 'The published range (70.7–77.3 µs per transaction) allows ±3.3 µs around the fit.',
        },
      },
      {
        path: 'profile.nic.peerJitterCv',
        unit: 'CV',
        kind: 'assumed',
        source: `The peer's turnaround is lognormal with this coefficient of variation: the external host is not a perfect clock. This is where seeds make runs differ.`,
        range: { lo: 0.02, hi: 0.3, why: 'From a quiet dedicated peer to a busy one.' },
      },
      {
        path: 'pinning.vcpu',
        unit: '',
        kind: 'assumed',
        source: `About the talk's setup: each VM's vCPU threads bound to its memory node (\`numactl --cpunodebind\`), VMs spread over the nodes round-robin. vhost kthreads are children of kthreadd and do not inherit that binding — the NUMA-unawareness the talk names.`,
        range: null,
      },
    ],
  },
];

/** Every row, in table order. */
export function calibrationRows(): CalibrationRow[] {
  return calibration.flatMap((s) => s.rows);
}

/** The row of a `--set` path, or undefined. */
export function calibrationRow(path: string): CalibrationRow | undefined {
  return calibrationRows().find((r) => r.path === path);
}

/** Rows with a plausible range: the parameters sensitivity analysis and `--uncertainty` can vary. */
export function rangedRows(): (CalibrationRow & { range: PlausibleRange })[] {
  return calibrationRows().filter((r): r is CalibrationRow & { range: PlausibleRange } => r.range !== null);
}

/** Units whose values the scenario schema requires to be integers. */
const INTEGER_UNITS = new Set([
  'ns',
  'KiB',
  'hierarchies',
  'bytes',
  'frames',
  'packets',
  'descriptors',
  'cores',
  'sockets',
]);

/** The value at fraction `u` in [0, 1] of a row's range, rounded when the field is an integer. */
export function valueInRange(row: CalibrationRow & { range: PlausibleRange }, u: number): number {
  const v = row.range.lo + u * (row.range.hi - row.range.lo);
  return INTEGER_UNITS.has(row.unit) ? Math.round(v) : v;
}
