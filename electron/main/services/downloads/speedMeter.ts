/**
 * Download speed smoothed with an exponential moving average over time (time constant `tauMs`), so the ETA
 * does not jump with every chunk; samples closer together than `minIntervalMs` are merged.
 */
export class SpeedMeter {
  readonly #tauMs: number;
  readonly #minIntervalMs: number;
  #last: { bytes: number; at: number } | null = null;
  #rate: number | null = null;

  constructor(tauMs = 3000, minIntervalMs = 200) {
    this.#tauMs = tauMs;
    this.#minIntervalMs = minIntervalMs;
  }

  /** Bytes received so far (monotonic within a transfer) at time `at` (ms). */
  sample(bytes: number, at: number): void {
    if (!this.#last || bytes < this.#last.bytes) {
      this.#last = { bytes, at };
      return;
    }
    const dt = at - this.#last.at;
    if (dt < this.#minIntervalMs) return;
    const rate = ((bytes - this.#last.bytes) * 1000) / dt;
    this.#rate =
      this.#rate === null ? rate : this.#rate + (1 - Math.exp(-dt / this.#tauMs)) * (rate - this.#rate);
    this.#last = { bytes, at };
  }

  /** Bytes per second, 0 until two samples are far enough apart. */
  get bytesPerSecond(): number {
    return Math.max(0, Math.round(this.#rate ?? 0));
  }

  etaSeconds(remainingBytes: number | null): number | null {
    if (remainingBytes === null || !this.#rate || this.#rate <= 0) return null;
    return Math.ceil(remainingBytes / this.#rate);
  }

  reset(): void {
    this.#last = null;
    this.#rate = null;
  }
}
