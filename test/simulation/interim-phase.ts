import type { GatewayPlan } from './faults';

/**
 * The interim phase some gateways put a refund through before its outcome (ChaoYing NOTSURE 未确定,
 * Baofoo ABNORMAL 退款异常: "query again later"): how many more queries it answers so, per refund
 * number, and the plan it ends with.
 */
export class InterimPhase {
  private readonly left = new Map<string, { queries: number; plan: GatewayPlan }>();

  /** Starts (or replaces) the refund's phase; a plan without interim queries has none. */
  plan(refundNo: string, plan: GatewayPlan): void {
    const queries = plan.interimQueries ?? 0;
    if (queries > 0) this.left.set(refundNo, { queries, plan });
    else this.left.delete(refundNo);
  }

  planned(refundNo: string): boolean {
    return this.left.has(refundNo);
  }

  /** One query was answered in the interim state: the plan to settle on when that was the last one. */
  spend(refundNo: string): GatewayPlan | null {
    const phase = this.left.get(refundNo);
    if (!phase) return null;
    if (phase.queries > 1) {
      phase.queries -= 1;
      return null;
    }
    this.left.delete(refundNo);
    return phase.plan;
  }
}
