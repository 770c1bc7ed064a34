/**
 * Listeners told of changes at most once per animation frame, however many changes came in
 * between (a flood of 30,000 trial events is one render per frame), or at once when asked.
 */
export class FrameNotifier {
  private readonly listeners = new Set<() => void>();
  private frame: ReturnType<typeof setTimeout> | number | null = null;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Next frame (a timer where there are no frames, as on the server or in tests). */
  soon(before: () => void): void {
    if (this.frame !== null) return;
    const flush = () => {
      this.frame = null;
      before();
      this.now();
    };
    this.frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(flush) : setTimeout(flush, 16);
  }

  now(): void {
    for (const listener of this.listeners) listener();
  }
}
