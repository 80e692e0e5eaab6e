import { generateKeyPairSync } from 'node:crypto';

import { rsaPrivateKey, rsaPublicKey } from './rsa-keys';

/** Fresh test keys: what is asserted is parsing, caching and refusals, not particular key bytes. */
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const PKCS8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PKCS1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const SPKI = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PKCS1_PUBLIC = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();

describe('RSA keys', () => {
  it('parses each PEM once', () => {
    expect(rsaPrivateKey(PKCS8)).toBe(rsaPrivateKey(PKCS8));
    expect(rsaPublicKey(SPKI)).toBe(rsaPublicKey(SPKI));
  });

  it('keeps private and public keys apart in the cache', () => {
    expect(rsaPrivateKey(PKCS8).type).toBe('private');
    expect(() => rsaPublicKey(PKCS8)).toThrow();
  });

  it('reads PKCS#8 and PKCS#1 private keys, with surrounding blanks', () => {
    expect(rsaPrivateKey(PKCS8).asymmetricKeyType).toBe('rsa');
    expect(rsaPrivateKey(`\n  ${PKCS1}\n`).asymmetricKeyType).toBe('rsa');
  });

  it('reads SPKI and PKCS#1 public keys', () => {
    expect(rsaPublicKey(SPKI).type).toBe('public');
    expect(rsaPublicKey(PKCS1_PUBLIC).asymmetricKeyType).toBe('rsa');
  });

  it('names a malformed private key without showing it', () => {
    const lines = PKCS8.trim().split('\n');
    const broken = [...lines.slice(0, 3), ...lines.slice(-2)].join('\n');

    expect(() => rsaPrivateKey(broken, 'UMF merchant private key')).toThrow(
      /^UMF merchant private key is malformed: not a readable PEM/,
    );
    expect(messageOf(() => rsaPrivateKey(broken, 'UMF merchant private key'))).not.toContain(lines[1]);
  });

  it('names a malformed certificate without showing it', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nbm90LWEtY2VydA==\n-----END CERTIFICATE-----';

    expect(() => rsaPublicKey(pem, 'Baofoo platform certificate')).toThrow(/^Baofoo platform certificate is malformed/);
    expect(messageOf(() => rsaPublicKey(pem, 'Baofoo platform certificate'))).not.toContain('bm90');
  });

  it('uses a default name', () => {
    expect(() => rsaPrivateKey('nope')).toThrow(/^RSA private key is malformed/);
    expect(() => rsaPublicKey('nope')).toThrow(/^RSA public key is malformed/);
  });

  it('refuses a private key given as the public key, without parsing it', () => {
    expect(() => rsaPublicKey(PKCS8, 'UMF platform key')).toThrow(
      'UMF platform key is a private key; expected an X.509 certificate or a public key PEM',
    );
    expect(() => rsaPublicKey(PKCS1, 'UMF platform key')).toThrow('UMF platform key is a private key');
  });

  it('refuses a key that is not RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    expect(() => rsaPrivateKey(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(
      'RSA private key is malformed: an ec key, not an RSA key',
    );
    expect(() => rsaPublicKey(ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'Baofoo key')).toThrow(
      'Baofoo key is malformed: an ec key, not an RSA key',
    );
  });
});

function messageOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return '';
}
