import type { TransportResult } from '@refundhub/gateway-kit';

/** A call the gateway received and answers only once its sender is gone. */
export interface HeldCall {
  /** Whether the gateway processes the call (the money may move) before holding its answer. */
  applies: boolean;
  /** The transport's result: a failure, settled only when the hold is released. */
  answered: Promise<TransportResult>;
}

/**
 * The gateway's side of a crash while a call is in flight: armed by a step, it holds the next call the
 * gateway receives, tells the step the call is out (so the step crashes the process at that moment, no
 * timing involved), and lets the call end only when the step says the process that sent it is closed.
 */
export class CallHold {
  private armed: { applies: boolean; taken: () => void } | null = null;
  private held: { release: () => void } | null = null;

  /** Resolves once the next call is held. */
  arm(applies: boolean): Promise<void> {
    if (this.armed || this.held) throw new Error('A call is already held or about to be');
    return new Promise<void>((taken) => {
      this.armed = { applies, taken };
    });
  }

  /** Called by the gateway as a call arrives: the held call, or null when no hold is armed. */
  take(): HeldCall | null {
    const armed = this.armed;
    if (!armed) return null;
    this.armed = null;
    const answered = new Promise<TransportResult>((resolve) => {
      // Its answer is lost with the process that waited for it: the old incarnation sees a failure.
      this.held = {
        release: () =>
          resolve({ kind: 'failure', reason: 'connection', detail: 'simulated: the process died before the answer' }),
      };
    });
    armed.taken();
    return { applies: armed.applies, answered };
  }

  /** Ends the held call (returns whether there was one) and drops a hold no call took. */
  release(): boolean {
    const held = this.held;
    this.armed = null;
    this.held = null;
    held?.release();
    return held !== null;
  }
}
