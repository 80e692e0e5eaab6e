import { signRsa, verifyRsa } from '@refundhub/gateway-kit';

/**
 * Baofoo signatures (接口说明 签名和验签): 「明文转json字符串->RSA->HEX(16)->密文(signStr)」, SHA256withRSA
 * (PKCS#1 v1.5) over the UTF-8 bytes of the JSON string itself. There is no sorting or
 * canonicalisation: requests sign the exact `bizContent` that is sent, answers and notifications are
 * verified over the `dataContent` string exactly as received. Used by the module and by the sandbox
 * (which signs with Baofoo's side of the keys). Never log the keys or what is signed.
 */

/** `signStr` of a request's `bizContent` (or of a `dataContent`, on Baofoo's side): lowercase hex. */
export function signBaofoo(input: { privateKeyPem: string; content: string; keyName?: string }): string {
  return signRsa({
    privateKeyPem: input.privateKeyPem,
    data: input.content,
    hash: 'sha256',
    output: 'hex',
    keyName: input.keyName ?? 'Baofoo merchant private key',
  });
}

/**
 * Whether `signStr` signs `content` under `publicKeyPem` (certificate or public key PEM). Hex is
 * accepted in either case, since the case Baofoo itself emits is undocumented. A missing, empty or
 * non-hex signature is `false`; only an unusable key throws.
 */
export function verifyBaofoo(input: {
  publicKeyPem: string;
  content: string;
  signStr: string | null | undefined;
  keyName?: string;
}): boolean {
  return verifyRsa({
    publicKeyPem: input.publicKeyPem,
    data: input.content,
    signature: input.signStr,
    hash: 'sha256',
    input: 'hex',
    keyName: input.keyName ?? 'Baofoo platform public key',
  });
}
