/**
 * Pacing for HTTP clients and servers: a token bucket (a request rate with a burst) and a semaphore (at
 * most N tasks at once). Small and dependency-free: p-limit is not installed, and both are a few lines.
 */

/** `rate` tokens a second, at most `burst` saved up; starts full. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number = Math.max(1, rate),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }

  /** Takes a token if there is one (0), else returns the milliseconds until there is. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }

  /** Waits for a token and takes it. */
  async acquire(): Promise<void> {
    for (let wait = this.take(); wait > 0; wait = this.take()) await sleep(wait);
  }
}

/** At most `limit` tasks run at once; the others wait their turn in the order they came. */
export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
