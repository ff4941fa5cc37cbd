// A progress line on stderr for long fits. Fits are synchronous, so no timer can fire while one
// runs: the line is redrawn only from the solver's onProgress callback, and only once the fit has
// run longer than `delayMs` (short fits print nothing). Disabled unless stderr is a terminal, so
// pipes, files and CI logs stay clean. If the solver never reports progress, nothing is drawn.

export interface ProgressSink {
  write(s: string): unknown;
}

export interface ProgressEvent {
  iteration: number;
  objective: number;
  gap?: number;
}

const BAR = 24;
const BLOCK = 6;

export class ProgressLine {
  private readonly start: number;
  private lastDraw = -Infinity;
  private frame = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressSink,
    private readonly enabled: boolean,
    private readonly label: string,
    private readonly now: () => number = () => performance.now(),
    private readonly delayMs = 500,
    private readonly intervalMs = 100,
  ) {
    this.start = now();
  }

  /** Feed one solver report; draws at most every `intervalMs` after the first `delayMs`. */
  update(p: ProgressEvent): void {
    if (!this.enabled) return;
    const t = this.now();
    const elapsed = t - this.start;
    if (elapsed < this.delayMs || t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    // Indeterminate bar (the solver cannot know how many iterations remain): a block that bounces.
    const span = BAR - BLOCK;
    const k = this.frame++ % (2 * span);
    const pos = k <= span ? k : 2 * span - k;
    const bar = ' '.repeat(pos) + '='.repeat(BLOCK) + ' '.repeat(span - pos);
    let s = `\r[${bar}] ${this.label}  ${(elapsed / 1000).toFixed(1)} s  iteration ${p.iteration}  objective ${fmt(p.objective)}`;
    if (p.gap !== undefined && Number.isFinite(p.gap)) s += `  gap ${fmt(p.gap)}`;
    this.out.write(s + '\x1b[K');
    this.drawn = true;
  }

  /** Erase the line (if anything was drawn) so that the result starts on a clean line. */
  done(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  get hasDrawn(): boolean {
    return this.drawn;
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(6) : String(x);
}
