/**
 * Resolves the secrets of one merchant on one gateway. The default reads them from the
 * module options; a host app may provide its own (a vault, a database). Adapters validate the
 * shape they need; the core only asks whether a merchant exists.
 *
 * Implementations must never log what they return.
 */
export abstract class CredentialsProvider {
  abstract get(gateway: string, merchantId: string): Promise<MerchantCredentials | undefined>;
}

/** One merchant's secrets on one gateway; each gateway module checks the shape it needs. */
export type MerchantCredentials = Readonly<Record<string, unknown>>;

/** Credentials held in memory, keyed by gateway then merchant id. */
export class StaticCredentialsProvider extends CredentialsProvider {
  constructor(
    private readonly byGateway: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>,
  ) {
    super();
  }

  async get(gateway: string, merchantId: string): Promise<MerchantCredentials | undefined> {
    const merchants = this.byGateway[gateway];
    return merchants && Object.prototype.hasOwnProperty.call(merchants, merchantId) ? merchants[merchantId] : undefined;
  }
}
