// Deterministic randomness for the bench data set, so two seeds of one scale describe the same forum.

/** mulberry32: small, fast and good enough to shape a data set (not for anything secret). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [0, n), skewed towards 0: the larger the power, the longer the tail. */
  skewed(n: number, power: number): number {
    return Math.min(n - 1, Math.floor(n * this.next() ** power));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** Fisher-Yates in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** `count` distinct integers from [0, n). */
  distinct(n: number, count: number): number[] {
    if (count * 2 >= n) return this.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, count);
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(this.below(n));
    return [...chosen];
  }
}
