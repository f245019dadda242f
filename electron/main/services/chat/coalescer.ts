/**
 * Merges token deltas into about one message per animation frame. The first delta goes out at once (time
 * to first token is what users feel); later ones are held at most `intervalMs`, so the renderer re-renders
 * ~60 times a second however fast the model is.
 */
export class DeltaCoalescer {
  readonly #emit: (text: string) => void;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #buffer = '';
  #lastFlush = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(emit: (text: string) => void, intervalMs = 16, now: () => number = () => performance.now()) {
    this.#emit = emit;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  push(text: string): void {
    if (text.length === 0) return;
    this.#buffer += text;
    if (this.#timer !== null) return;
    const wait = this.#lastFlush + this.#intervalMs - this.#now();
    if (wait <= 0) this.flush();
    else this.#timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends whatever is buffered now; call before a terminal event so no text is lost or reordered. */
  flush(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#buffer.length === 0) return;
    const text = this.#buffer;
    this.#buffer = '';
    this.#lastFlush = this.#now();
    this.#emit(text);
  }
}
