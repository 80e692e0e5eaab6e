/** What stands in for a redacted value. */
export const REDACTED = '[redacted]';

/** Field names whose values are credentials wherever they appear in a logged object. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'apiKey',
  'key',
  'keys',
  'secret',
  'secrets',
  'webhookSecret',
  'sha256',
  'signature',
  'sign',
  'privateKey',
  'publicKey',
  'password',
  'passphrase',
  'token',
  'tradeKey',
  'notifyKey',
  'merchantKey',
  'merchantPrivateKey',
  'certificate',
  'pfx',
] as const;

/**
 * pino `redact` paths: each secret field at the top of a logged object, one and two levels down
 * (pino's wildcards match one level each), and under request headers. A field's value is replaced
 * whole, whatever its type.
 */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];
