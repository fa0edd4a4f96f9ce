// At most one like:update per post per window: the first change of a quiet post goes out at once, the
// changes that follow within the window are folded into one update when it ends.

export class LikeCoalescer {
  /** Posts whose window is open; true when a change arrived during it. */
  private readonly open = new Map<string, { pending: boolean; timer: NodeJS.Timeout | null }>();

  /**
   * @param flush sends the post's current like count and calls `done` once it has gone out (or was dropped);
   *   the window starts then, so two updates are never closer than `windowMs` however long a flush takes.
   */
  constructor(
    private readonly windowMs: number,
    private readonly flush: (postId: string, done: () => void) => void,
  ) {}

  changed(postId: string): void {
    const window = this.open.get(postId);
    if (window) {
      window.pending = true;
      return;
    }
    this.send(postId, { pending: false, timer: null });
  }

  private send(postId: string, window: { pending: boolean; timer: NodeJS.Timeout | null }): void {
    window.pending = false;
    this.open.set(postId, window);
    this.flush(postId, () => {
      if (this.open.get(postId) !== window) return;
      window.timer = setTimeout(() => {
        window.timer = null;
        if (window.pending) this.send(postId, window);
        else this.open.delete(postId);
      }, this.windowMs);
    });
  }

  close(): void {
    for (const window of this.open.values()) if (window.timer) clearTimeout(window.timer);
    this.open.clear();
  }
}
