/**
 * Answers kept back a few turns of the event loop, to widen the window in which a second refund of the
 * same order would meet the first at the gateway. Each is let go as soon as the next request arrives, so
 * a client that waits for the answer before sending the next refund pays the delay only once per refund.
 */
export class AnswerHold {
  private readonly held = new Set<() => void>();

  /** Resolves after `turns` turns of the event loop, or at the next {@link releaseAll}. */
  hold(turns: number): Promise<void> {
    return new Promise((resolve) => {
      let left = turns;
      let done = false;
      const release = () => {
        if (done) return;
        done = true;
        this.held.delete(release);
        resolve();
      };
      const tick = () => {
        if (done) return;
        left -= 1;
        if (left <= 0) release();
        else setImmediate(tick);
      };
      this.held.add(release);
      setImmediate(tick);
    });
  }

  releaseAll(): void {
    for (const release of [...this.held]) release();
  }
}
