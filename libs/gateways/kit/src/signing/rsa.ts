import { sign, verify } from 'node:crypto';

import { encodeText, type Charset } from './charset';
import { rsaPrivateKey, rsaPublicKey } from './rsa-keys';

/** UMF: SHA1withRSA; Baofoo: SHA256withRSA. Both PKCS#1 v1.5, deterministic. */
export type RsaHash = 'sha1' | 'sha256';
/** UMF: base64; Baofoo: hex. */
export type SignatureEncoding = 'base64' | 'hex';

/**
 * Signs `data` (its bytes in `charset`, UTF-8 by default) with RSA PKCS#1 v1.5. Hex comes out in lower
 * case (Baofoo's accepted form). Throws only for an unusable key, naming `keyName`, never showing it.
 */
export function signRsa(input: {
  privateKeyPem: string;
  data: string;
  hash: RsaHash;
  output: SignatureEncoding;
  charset?: Charset;
  /** How errors name the key: `UMF merchant private key`. */
  keyName?: string;
}): string {
  const key = rsaPrivateKey(input.privateKeyPem, input.keyName);
  return sign(input.hash, encodeText(input.data, input.charset), key).toString(input.output);
}

/**
 * Verifies an RSA PKCS#1 v1.5 signature with a certificate or public key PEM. A signature that is
 * missing, empty, not valid base64/hex (either case), or simply wrong is `false`: an answer is not
 * trusted, never an error. Only an unusable key throws, since that is a configuration fault.
 */
export function verifyRsa(input: {
  publicKeyPem: string;
  data: string;
  signature: string | null | undefined;
  hash: RsaHash;
  input: SignatureEncoding;
  charset?: Charset;
  /** How errors name the key: `Baofoo platform certificate`. */
  keyName?: string;
}): boolean {
  const key = rsaPublicKey(input.publicKeyPem, input.keyName);
  const signature = decodeSignature(input.signature, input.input);
  if (!signature) return false;
  try {
    return verify(input.hash, encodeText(input.data, input.charset), key, signature);
  } catch {
    return false;
  }
}

/** Strict decoding: Buffer.from silently skips bad characters, which would verify garbage as garbage. */
function decodeSignature(signature: string | null | undefined, encoding: SignatureEncoding): Buffer | undefined {
  if (typeof signature !== 'string') return undefined;
  if (encoding === 'hex') {
    const hex = signature.trim();
    return hex !== '' && hex.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
  }
  // Java's MIME encoders wrap lines; the line breaks are not part of the signature.
  const base64 = signature.replace(/\s+/g, '');
  return base64 !== '' && base64.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(base64)
    ? Buffer.from(base64, 'base64')
    : undefined;
}
