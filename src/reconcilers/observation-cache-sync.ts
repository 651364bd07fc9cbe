// The two concurrency primitives of the observation cache: a counting semaphore (cap on in-flight
// Element calls per cluster) and a FIFO mutex (serializes mutations that create pending state).

export class Semaphore {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#active < this.#limit) {
      this.#active += 1;
      return Promise.resolve();
    }
    // The slot is handed over by #release, so #active never exceeds the limit.
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active -= 1;
  }
}

export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #held = 0;

  get locked(): boolean {
    return this.#held > 0;
  }

  /** Runs `fn` after every earlier holder finished (successfully or not). */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.#held += 1;
    const result = this.#tail.then(fn);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tail = done;
    void done.then(() => {
      this.#held -= 1;
    });
    return result;
  }
}
