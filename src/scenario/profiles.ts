import type { Profile } from '../model/profile.ts';

/**
 * The talk's host: IBM x3650-M2, 2 x Xeon E5530 (Nehalem-EP, 2.4 GHz, 4 cores each), HT off, X540 10GbE.
 * Every number is explained in src/model/calibration.ts (docs/calibration.md); only `nic.peerTurnaroundNs` was fitted (to the
 * published 1-VM TCP_RR rate), everything else is a cited figure or a stated assumption.
 */
export const x3650m2: Profile = {
  name: 'x3650-m2',
  description:
    'IBM x3650-M2: 2 sockets x 4 cores Xeon E5530 2.4 GHz (Nehalem-EP), HT off, 10GbE X540 (ixgbe)',
  // One 8 MB L3 shared by the 4 cores of each socket; no nodeDistance: the Nehalem-EP SLIT (10 local, 21 remote).
  cpu: { sockets: 2, coresPerSocket: 4, threadsPerCore: 1, coresPerLlc: 4, ghz: 2.4 },
  nic: {
    lineRateGbps: 10,
    frameOverheadBytes: 78,
    mssBytes: 1_448,
    txRingFrames: 512,
    rxRingFrames: 512,
    gro: true,
    txNs: 1_000,
    wireNs: 1_500,
    itrIntervalNs: 10_000,
    napiBudget: 64,
    atrSampleRate: 20,
    peerTurnaroundNs: 32_000,
    peerJitterCv: 0.1,
    steering: 'atr',
    irqCpus: [0],
  },
  costs: {
    vmExitNs: 830,
    kickHandleNs: 1_200,
    haltExitNs: 1_500,
    irqEntryNs: 2_000,
    // 4,000 ns for a small packet, of which its descriptors (header + data, indirect) take 280.
    guestTxPktNs: 3_720,
    guestRxPktNs: 5_000,
    guestPerByteNs: 0.1,
    // 4,000 ns for a small packet, of which its descriptors (header + data, indirect) take 270.
    vhostTxPktNs: 3_730,
    vhostRxPktNs: 2_500,
    guestDescNs: 40,
    guestIndirectNs: 200,
    vhostDescNs: 60,
    vhostIndirectNs: 150,
    vhostPerByteNs: 0.1,
    vhostSignalNs: 800,
    nicRxIrqNs: 3_000,
    nicIrqNs: 1_000,
    ipiIrqNs: 500,
    bridgeForwardNs: 3_000,
    udpStackFactor: 0.8,
    pollCheckNs: 100,
    exitlessIrqEntryNs: 500,
    pmdPktNs: 400,
    ctxSwitchNs: 1_500,
    cacheRefillNs: 3_000,
    memRefillNs: 12_000,
    tlbRefillNs: 1_000,
    idleExitNs: 3_000,
    vqCacheTransferLocalNs: 600,
    vqCacheTransferRemoteNs: 2_400,
    remoteNumaPenalty: 0.5,
    guestMemFraction: 0.3,
    vhostMemFraction: 0.5,
    cgroupAttachNs: 1_000,
    // Block I/O (vhost-scsi): the guest pair fitted to one fio job's 184k IOPS, the vhost pair to one worker's ~500k.
    blockGuestSubmitNs: 2_400,
    blockGuestCompleteNs: 2_400,
    blockVhostSubmitNs: 1_300,
    blockVhostCompleteNs: 650,
    lineLlcNs: 40,
    lineRemoteNs: 120,
    workLockHoldNs: 300,
    napiPollNs: 500,
    groFrameNs: 500,
  },
  sched: {
    latencyNs: 24_000_000,
    minGranularityNs: 3_000_000,
    wakeupGranularityNs: 4_000_000,
    migrationCostNs: 500_000,
    hz: 1000,
    wakeAffine: true,
    selectIdleSibling: true,
    // The 3.6 tree compares with RECLAIM_DISTANCE: wake-affine stays on across Nehalem-EP's sockets (21).
    numaAffineDistance: 'reclaim',
    periodicBalance: true,
    cacheHot: true,
    decayedLoad: true,
  },
  // Xeon E5530: 256 KiB L2 per core, 8 MiB L3 per socket.
  kvm: { kickExit: true, postedInterrupts: false },
  locks: { workLock: true, dispatchLines: true },
  cgroup: { hierarchies: 8, cpuset: true, rcuGraceNs: 3_000_000, globalMutex: true },
  cache: { model: 'address-space', l2KiB: 256, llcKiB: 8_192, workingSetKiB: 128, pcid: false },
};

/** A modern host for scale studies: same per-operation costs, 2 x 64 cores in 8-core cache complexes. */
export const modern2x64: Profile = {
  ...x3650m2,
  name: '2x64',
  description:
    'A large 2-socket host (2 x 64 cores, an L3 per 8 cores) with the x3650-m2 per-operation costs, for scale studies',
  // Eight-core complexes, each with its own L3 (as AMD EPYC's CCDs), eight per socket; SMT off.
  cpu: { sockets: 2, coresPerSocket: 64, threadsPerCore: 1, coresPerLlc: 8, ghz: 2.4 },
};

/**
 * The named host profiles (CPU topology and per-operation costs), by name: what `profile: 'name'` selects.
 *
 * @example
 * ```ts
 * import { profiles, resolveScenario } from 'vhost-sim';
 *
 * for (const [name, p] of Object.entries(profiles))
 *   console.log(name, p.cpu.sockets * p.cpu.coresPerSocket, 'cores:', p.description);
 * // A named profile with one cost changed (typed: a partial profile merges over the named one).
 * const s = resolveScenario({ profile: { name: '2x64', costs: { ctxSwitchNs: 0 } } });
 * console.log(s.profile.name, s.profile.costs.ctxSwitchNs);
 * ```
 */
export const profiles: Record<string, Profile> = {
  [x3650m2.name]: x3650m2,
  [modern2x64.name]: modern2x64,
};
