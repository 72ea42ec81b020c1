/**
 * A one-line progress bar with ETA for long sweeps, redrawn in place on a terminal. The clock is passed
 * in (simulation code never reads wall time); the CLI decides whether to show it at all.
 */

export interface ProgressOptions {
  /** Draw nothing when false. */
  enabled: boolean;
  write: (text: string) => void;
  /** Wall-clock milliseconds. */
  now: () => number;
  label?: string;
  width?: number;
  /** What `done` and `total` count (default `runs`). */
  unit?: string;
}

export interface Progress {
  /** `done` of `total` runs finished; `fromJournal` runs were resumed, not computed (no ETA weight). */
  update(done: number, total: number, fromJournal?: boolean): void;
  /** Clear the bar. */
  finish(): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The bar's text for `done` of `total`, given elapsed seconds and the runs computed in that time. */
export function progressLine(
  label: string,
  done: number,
  total: number,
  elapsedS: number,
  computed: number,
  width = 24,
  unit = 'runs',
): string {
  const frac = total === 0 ? 1 : done / total;
  const filled = Math.round(frac * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const eta = computed > 0 ? formatDuration((elapsedS / computed) * (total - done)) : '--:--';
  return `${label} ${bar} ${done}/${total} ${unit} ${Math.floor(frac * 100)} % · elapsed ${formatDuration(elapsedS)} · ETA ${eta}`;
}

export function createProgress(o: ProgressOptions): Progress {
  const start = o.now();
  let computed = 0;
  let baseline = 0;
  let drawn = false;
  return {
    update(done, total, fromJournal = false) {
      if (fromJournal) baseline = done;
      else computed = done - baseline;
      if (!o.enabled) return;
      const line = progressLine(
        o.label ?? 'sweep',
        done,
        total,
        (o.now() - start) / 1000,
        computed,
        o.width,
        o.unit,
      );
      o.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    finish() {
      if (o.enabled && drawn) o.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
