export { RefundReconciler } from './refund-reconciler';
export { classifyReconciliation } from './reconcile-classifier';
export type { ReconcileVerdict } from './reconcile-classifier';
export { RECONCILE_CLASSIFICATIONS } from './reconcile.types';
export type {
  GatewayAnswerKind,
  ReconcileAction,
  ReconcileClassification,
  ReconcileOptions,
  ReconcileProgress,
  ReconcileReport,
  ReconcileRow,
} from './reconcile.types';
