/** Caps concurrent work: the KDF is memory-hard and CPU-bound, so more hashes in flight than cores only adds latency and memory. */
export class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('Semaphore capacity must be a positive integer');
    this.#free = capacity;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
