import { Logger } from '@nestjs/common';
import { escapeForLog } from '@refundhub/core';

/**
 * Where the public docs and implementations of a gateway disagree on how answers are signed
 * (Leshua: empties kept or dropped; UMF: sort order, UTF-8 or GBK), the adapter tries each reading in
 * order, or only the one configuration pins, and this class says which one matched: at `log` level
 * the first time, so operators can pin the variant once the real gateway's behaviour is known, and at
 * debug level afterwards.
 *
 * @typeParam V the variant names, e.g. `'doc' | 'skip-empty'`.
 */
export class VariantVerifier<V extends string> {
  /** The variants tried, in order: every allowed one, or only the pinned one. */
  readonly variants: readonly V[];
  private readonly gateway: string;
  private readonly subject: string;
  private readonly seen = new Set<V>();
  private readonly logger: Logger;

  constructor(options: {
    /** Display name for logs: `Leshua`. */
    gateway: string;
    /** What is verified, plural, for logs. Default `answers`. */
    subject?: string;
    /** Every variant, most likely first. */
    variants: readonly [V, ...V[]];
    /** From configuration: only this variant is tried. Absent (or `auto` mapped to absent): all, in order. */
    pinned?: V;
  }) {
    if (options.pinned !== undefined && !options.variants.includes(options.pinned)) {
      throw new Error(
        `${options.gateway} has no signature variant '${String(options.pinned)}'; expected one of ${options.variants.join(', ')}`,
      );
    }
    this.gateway = options.gateway;
    this.subject = options.subject ?? 'answers';
    this.variants = options.pinned === undefined ? [...options.variants] : [options.pinned];
    this.logger = new Logger(`${options.gateway}VariantVerifier`);
  }

  /**
   * The first variant for which `check` holds, or null when none does (the caller treats the answer as
   * wrongly signed). Stops at the first match.
   *
   * @param input.context what is being verified, for logs only: `unified_refund for merchant 0000000018`.
   */
  verify(input: { check: (variant: V) => boolean; context: string }): V | null {
    const index = this.variants.findIndex((variant) => input.check(variant));
    if (index < 0) return null;
    const variant = this.variants[index];
    const tried = index > 0 ? ` after ${this.variants.slice(0, index).join(', ')} did not match` : '';
    if (this.seen.has(variant)) {
      this.logger.debug(
        escapeForLog(`${this.gateway} ${this.subject}: ${input.context} verified with the ${variant} rule${tried}`),
      );
    } else {
      this.seen.add(variant);
      // The context names a merchant read from the message being verified.
      this.logger.log(
        escapeForLog(
          `${this.gateway} ${this.subject} verify with the ${variant} rule${tried} (first seen on ${input.context})`,
        ),
      );
    }
    return variant;
  }
}
