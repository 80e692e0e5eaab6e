import { canonicalPairs, joinPairs, joinValues, signRsa, verifyRsa, type RsaHash } from '@refundhub/gateway-kit';

import {
  umfVariantRule,
  type UmfAnswerMessage,
  type UmfAnswerVariant,
  type UmfNotificationVariant,
} from './umf.sign-variants';

// The variants live in their own file; re-exported so the signer is the one import for signing.
export {
  UMF_ANSWER_VARIANTS,
  UMF_NOTIFICATION_VARIANTS,
  type UmfAnswerMessage,
  type UmfAnswerVariant,
  type UmfNotificationVariant,
} from './umf.sign-variants';

/**
 * UMF signatures (design/signature.md): RSA PKCS#1 v1.5, Base64, SHA-1 by default (inferred from UMPay's
 * sibling SDK; `signatureHash` pins SHA-256 if the platform says otherwise). Two sign strings:
 * - `k=v&`: fields sorted by name, `sign` and empty values left out, raw values; requests (our key) and
 *   notifications (the platform's);
 * - `|`-joined values in the same order; answers (the platform's) and notification answers (our key).
 * Both sides are here: the module's, and the platform's for the sandbox. Never log what is built here.
 */
export type UmfSignable = Readonly<Record<string, string | null | undefined>>;
export type UmfSignatureHash = RsaHash;

const EXCLUDED = ['sign'];

interface SignInput {
  fields: UmfSignable;
  privateKeyPem: string;
  hash?: UmfSignatureHash;
}

interface VerifyInput {
  fields: UmfSignable;
  publicKeyPem: string;
  hash?: UmfSignatureHash;
}

// --- Requests: merchant -> UMF, `k=v&`, merchant private key.

export function umfRequestSignString(fields: UmfSignable): string {
  return joinPairs(canonicalPairs({ fields, exclude: EXCLUDED, keepEmpty: false }));
}

export function signUmfRequest(input: SignInput): string {
  return sign(input, umfRequestSignString(input.fields), 'UMF merchant private key');
}

/** The platform's side (sandbox): checks a request with the merchant's public key. */
export function verifyUmfRequest(input: VerifyInput): boolean {
  return verify(input, umfRequestSignString(input.fields), 'UMF merchant public key');
}

// --- Answers: UMF -> merchant, `|`-joined values, platform key, in one of the variants.

export function umfAnswerSignString(input: {
  fields: UmfSignable;
  variant: UmfAnswerVariant;
  message: UmfAnswerMessage;
}): string {
  const { order, keepEmpty } = umfVariantRule(input.variant, input.message);
  return joinValues({ fields: input.fields, exclude: EXCLUDED, keepEmpty, order });
}

/** The platform's side (sandbox): signs an answer; `ascii_utf8` unless told to sign as another variant. */
export function signUmfAnswer(input: SignInput & { message: UmfAnswerMessage; variant?: UmfAnswerVariant }): string {
  const variant = input.variant ?? 'ascii_utf8';
  const text = umfAnswerSignString({ fields: input.fields, variant, message: input.message });
  return sign(input, text, 'UMF platform private key', umfVariantRule(variant, input.message).charset);
}

/** Whether `fields.sign` signs the answer under `variant`; a missing or empty sign never verifies. */
export function verifyUmfAnswer(
  input: VerifyInput & { message: UmfAnswerMessage; variant: UmfAnswerVariant },
): boolean {
  const text = umfAnswerSignString({ fields: input.fields, variant: input.variant, message: input.message });
  return verify(input, text, 'UMF platform certificate', umfVariantRule(input.variant, input.message).charset);
}

// --- Notifications: UMF -> merchant, `k=v&`, platform key, in one of the charset variants.

export function umfNotificationSignString(input: { fields: UmfSignable; variant: UmfNotificationVariant }): string {
  const { order, keepEmpty } = umfVariantRule(input.variant, 'refund');
  return joinPairs(canonicalPairs({ fields: input.fields, exclude: EXCLUDED, keepEmpty, order }));
}

/** The platform's side (sandbox): signs a notification; `ascii_utf8` unless told otherwise. */
export function signUmfNotification(input: SignInput & { variant?: UmfNotificationVariant }): string {
  const variant = input.variant ?? 'ascii_utf8';
  const text = umfNotificationSignString({ fields: input.fields, variant });
  return sign(input, text, 'UMF platform private key', umfVariantRule(variant, 'refund').charset);
}

export function verifyUmfNotification(input: VerifyInput & { variant: UmfNotificationVariant }): boolean {
  const text = umfNotificationSignString({ fields: input.fields, variant: input.variant });
  return verify(input, text, 'UMF platform certificate', umfVariantRule(input.variant, 'refund').charset);
}

// --- Notification answers: merchant -> UMF, `|`-joined values, merchant private key.

export function umfNotificationAckSignString(fields: UmfSignable): string {
  return joinValues({ fields, exclude: EXCLUDED, keepEmpty: false });
}

export function signUmfNotificationAck(input: SignInput): string {
  return sign(input, umfNotificationAckSignString(input.fields), 'UMF merchant private key');
}

/** The platform's side (sandbox): checks a notification answer with the merchant's public key. */
export function verifyUmfNotificationAck(input: VerifyInput): boolean {
  return verify(input, umfNotificationAckSignString(input.fields), 'UMF merchant public key');
}

function sign(input: SignInput, data: string, keyName: string, charset: 'utf8' | 'gbk' = 'utf8'): string {
  return signRsa({
    privateKeyPem: input.privateKeyPem,
    data,
    hash: input.hash ?? 'sha1',
    output: 'base64',
    charset,
    keyName,
  });
}

function verify(input: VerifyInput, data: string, keyName: string, charset: 'utf8' | 'gbk' = 'utf8'): boolean {
  return verifyRsa({
    publicKeyPem: input.publicKeyPem,
    data,
    signature: input.fields['sign'],
    hash: input.hash ?? 'sha1',
    input: 'base64',
    charset,
    keyName,
  });
}
