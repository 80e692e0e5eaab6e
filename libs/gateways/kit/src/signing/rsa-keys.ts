import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

/** Enough for every merchant key and platform certificate of a deployment; the oldest entry goes first. */
const MAX_CACHED_KEYS = 256;
const cache = new Map<string, KeyObject>();

/**
 * The merchant's RSA private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY` PEM), parsed once.
 * Throws an Error naming `keyName` (never the key) when the PEM is not an RSA private key.
 */
export function rsaPrivateKey(pem: string, keyName = 'RSA private key'): KeyObject {
  return cached('private', pem, () =>
    requireRsa(
      parse(keyName, () => createPrivateKey(pem.trim())),
      keyName,
    ),
  );
}

/**
 * The gateway's RSA public key, from an X.509 certificate PEM (UMF's platform cert, Baofoo's cer) or
 * a public key PEM (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`), parsed once. A private key given
 * here is refused: it means a secret was put where a public key belongs.
 */
export function rsaPublicKey(pem: string, keyName = 'RSA public key'): KeyObject {
  return cached('public', pem, () => {
    const text = pem.trim();
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
      throw new Error(`${keyName} is a private key; expected an X.509 certificate or a public key PEM`);
    }
    const key = parse(keyName, () =>
      text.includes('-----BEGIN CERTIFICATE-----') ? new X509Certificate(text).publicKey : createPublicKey(text),
    );
    return requireRsa(key, keyName);
  });
}

/** Cached by a hash of the PEM, so the map never holds key material as its keys. */
function cached(kind: 'private' | 'public', pem: string, load: () => KeyObject): KeyObject {
  const id = `${kind}:${createHash('sha256').update(pem).digest('hex')}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const key = load();
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
  cache.set(id, key);
  return key;
}

/** Node's parse errors carry no key material, but only their code is kept, to be sure. */
function parse(keyName: string, load: () => KeyObject): KeyObject {
  try {
    return load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`${keyName} is malformed: not a readable PEM${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}

function requireRsa(key: KeyObject, keyName: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Error(`${keyName} is malformed: an ${key.asymmetricKeyType ?? 'unknown'} key, not an RSA key`);
  }
  return key;
}
