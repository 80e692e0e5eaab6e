import { Inject } from '@nestjs/common';

/**
 * The MikroORM instance that holds refundhub's tables, whichever MikroORM context it lives in.
 * Provided by `RefundDatabaseModule`; the text is what Nest prints when nothing provides it, so it
 * names the module that does.
 */
export const REFUND_ORM = 'RefundDatabaseModule (refundhub needs RefundDatabaseModule.forRoot or .forExisting)';

/** Injects the MikroORM instance that holds refundhub's tables (see {@link REFUND_ORM}). */
export const InjectRefundOrm = (): ParameterDecorator => Inject(REFUND_ORM);
