/** A map that keeps at most `capacity` entries, letting go of the least recently used one first. */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    private readonly capacity: number,
    /** Told of an entry the map let go of, to release what it holds. */
    private readonly evicted: (value: V) => void,
  ) {}

  /** The value of `key`, which becomes the most recently used; undefined if there is none. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Adds `value` as the most recently used, letting go of the least recently used if the map is full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [K, V];
      this.entries.delete(oldestKey);
      this.evicted(oldest);
    }
    this.entries.set(key, value);
  }

  /** Lets go of every entry (`evicted` is told of each). */
  clear(): void {
    for (const value of this.entries.values()) this.evicted(value);
    this.entries.clear();
  }
}
