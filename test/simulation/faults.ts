/**
 * What the network does to one gateway call, chosen by the seed. The gateway "applies" a call when it
 * processes it: a fault after applying is the dangerous one (the money moved, the caller did not hear).
 */
export const CALL_FAULTS = [
  'ok',
  /** The gateway applied the call; its answer never arrived (a timeout on our side). */
  'timeout-after-apply',
  /** The call never reached the gateway. */
  'timeout-before-apply',
  /** The gateway applied the call, then a proxy answered 502. */
  '5xx-after-apply',
  /** The request reached the gateway twice (a retrying proxy); the second answer came back. */
  'duplicated',
] as const;

export type CallFault = (typeof CALL_FAULTS)[number];

/** The gateway's own plan for a refund it accepts: its final outcome, and after how many queries. */
export interface GatewayPlan {
  /** `change`: ChaoYing's 转入代发, a refund a person must pay out (only gateways that have it plan it). */
  outcome: 'success' | 'fail' | 'change';
  /** 0: final in the submission answer itself. */
  afterQueries: number;
  /**
   * Queries answered in the gateway's interim state before the outcome (ChaoYing NOTSURE, Baofoo
   * ABNORMAL, which Baofoo also answers for a refund it never received); none when absent or 0.
   */
  interimQueries?: number;
}

/** A plan as a trace shows it. */
export function planText(plan: GatewayPlan): string {
  const interim = plan.interimQueries ? `, ${plan.interimQueries} interim` : '';
  return `plan ${plan.outcome} after ${plan.afterQueries}${interim}`;
}
