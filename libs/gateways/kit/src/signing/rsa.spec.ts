import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { signRsa, verifyRsa } from './rsa';

/** PROTOCOLS.md test keys: made up for the published vectors, not secrets. */
const UMF_PRIVATE_KEY = [
  '-----BEGIN PRIVATE KEY-----',
  'MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAJv51+SSjQWRX+pB',
  'uddxyFLcdojsMCBBVbatXqkcVCL7hOa9+lzhiI+ptMTtz0x1mcz7W3Ka1Kl5357k',
  'fCoMqI7Psi4LhFEscxlHm0aLtzazBJqova/zHmUtIYsomlHVGiV3AsFuog7eEtdZ',
  'AAPPGfTDH+goNMyti0rF3mvk9fD3AgMBAAECgYB5Uti0qa3Z0994ltFYnN/GXEgz',
  'bwxsOoXSh35nKmrjnyMcXE+/KYsQvF+pApXJknwkrqvONFMQ1IS10mImTxxYan+W',
  '1sXrEai8wT584+Kq/08yICmz7JsFy16lnyk7HRKv/SnXS4qOjCgqrhREzeQFKlIf',
  'r0WVK34Z6CP9skvdOQJBAM4lPZDelP58QjIhjrArxtn04ZOxCUGcibCKAZQxnvRt',
  '/5TyVHc+nmOsMWVYxLP+V0OjESzT+BbdZgFSQPVZeeMCQQDBsolT+FxZahhX3Qey',
  'zzkE6p06p3CcfbE16XG3fMzHZ0SFsp1hXFkZBKweDaDFPWCCuvcf/cq3GBbTF2Ua',
  'VujdAkATLl/mJO/UJhe6tmiid9BO43xB0806r6gYJx8yfNN/huSrJUk6tzbhq1oF',
  'Rhc3cEkKYBfvBeIlroAZS2AD9EllAkAnxpPwzGWabvEEyfzUuT0KR2t2KgA0ApOr',
  'cH7LoTMkF464rc8nuSEKxCzcFwxWtJ3m+qHYzfMc2jOFsZ4vZH15AkBPEIXr2aFY',
  'uB4oHx7Fg3OyfMW5TVYJcIBzsFKoc/CG/+BlTJaIfcZd0+wvH6moABWNB10oL4Ss',
  '/XNuWj5+6WDc',
  '-----END PRIVATE KEY-----',
].join('\n');

const BAOFOO_PRIVATE_KEY = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCiLGHEzEk8XUai',
  'x5FMdVotSvADv+FL4lWoPy8EMFYEp+Qd7CeSreENm89iL1HyviMj0yHhmoVt0AH5',
  'Mpyvqj6D3bCihcf/OubvFNic6yw4cxnzpBE+Yg0TbzDDpwlV52F2NILZpLqOjFFW',
  'Sze5//A76aB0PFrZEnPDAvHFLmZFQUG+PQtUGYBBa/DgzznDp7NnX9hwMWClpBbd',
  'jxEpxLGpNj4024TXRfwx8NW3ht8SKA2kM+kIHja9tiSrLwqqbakQ4vPvczIvTuhe',
  'ZEyt+LhPmSwh5LTQdqJHY59N0qn6pf9IOlLWzwR4kN1OUazV7VoPlLShioa2Wmcp',
  'BCAIQONpAgMBAAECggEABFfB6n45+9bXnGZRusVtu8bE9KS/yMNv3ciLXsZYl1lT',
  'n4WCbcggPbgNbqirvh9fW4c84gi8R/uJAf5b+cxKTkeygjeo6mnOY1qgjlsx3PUg',
  'Hckn+Q6xIPMaUDL56gX/MyYm1uM1Z7nUN8Zd4Ko86a3Q8SvoluWKmg9LICek73fL',
  '9MvDMUirzPUs39Rqwq8Wjk1IMg6/l4d4atUUeMMtTPiW5DgEOuGcDqExab5b/N3k',
  '/S2jHUAJZXrQ670PhRc9ssXHmr+EgWjz6reAQ3bxOrsnO+P0E/BaHxqhZ0lOdPMA',
  'WbpumMiqYUxzBuEkRWqA8Ca6O1soH2bLahwys+tHMQKBgQDbKcqWvJYB10J1Muyj',
  '/x576V0pJ/yIpwz5zUony/o5c9obKzZDP/uM4hL8cemb8Qyg2cIARunrRtEEAXZe',
  '9sJtxT3EFXaYDS5qUTqmb2cVNSUW3ZSKf1P/U+dcxrcJ/pxNYTywucqKOXuFcdfJ',
  'ZtWhBGpmS1mOPTx07O4E2vKr/QKBgQC9bmqUh8eaLxawxlk8ey+eRd/lNDsFdxGm',
  'uDzYLUSNe9SlCO36tq0NG3aROM+gTn1S9h1DNbtGbfdNgnw+Ry1gos4e/+UUhyWy',
  'LMFbIH1n7Z2pK+z6oiz8ArEi4ubbm405mZDp2XEgQCEccdJDVZkz6mS+WhK0tV93',
  '3VP7XEcy3QKBgBODTglLsyNo0f7zUMRtM36e0W+XotFb5jjbgU23yIiS+wlOOJ+W',
  'M8RgYIZfcggzVwd/O9mgdrU+8d8kbjCYUclKNWye6JczHT3UC5/D7W6i87Fseww1',
  't/nUs5W8D5HxPGNbU/b8I79YzNmdwDOrVzvl079V2Bxk8VwLuElwYQjVAoGAP8rN',
  'TZOkHkI5S/Kf3oRFdvFlAtTiA2cjpJdqtgoYieTnqWQmcEXQZReYiDMviHamMaf8',
  'FsQjewZRP+LvYDGsEF0DOOFIDe+tPCFiRAPe937Hl07ZkVXH/F4TtQHgaJgrqPgU',
  'GwxE0m2GOQQDoPVUkG0g3BGNNxnVOpJoU7+xomkCgYBOe6cn49itUZ58FqfBwFU9',
  '7rpq8MxQ7KlQ4jq/b0XyHN5rPvXVqxTKyOQh44ttlQjL/We8xR4HRIdFvpZI/RzN',
  'lKs8I5tckAf0P+Fb59uZKyr2lStSy0iB+mApNX4ooKY7653i5ebfTs9tEEWQD4Ah',
  'C7qZJSH986pHqorLvSWI5w==',
  '-----END PRIVATE KEY-----',
].join('\n');

const UMF_SIGN_STRING =
  'amount=1&apiVersion=1.0&notifyUrl=https://example.com/umf/notify&orderDate=20180115&partnerOrderId=0101180116193952366' +
  '&payType=AL&proxyId=0025&refundPartnerOrderId=R0101180116193952366&reqDate=20180313&reqTime=105252&subMerId=30000101';
const UMF_SIGNATURE =
  'WEN7nCszxdX5ePEFxO4ETIwl/qikRYuolDubGr4/UOIl2uXOeHDe0qW6swk0xRVCSeg+ob6lvAuaBah4iKuMnRAn43HG9HsqKAUiH3OiOi3uu0hxJBjjPl9xjX8dXM/EXUcB9rUJ3TzGmcNrlHqYrDg52PjueABYQ7NnmvF36wE=';

const BAOFOO_BIZ_CONTENT =
  '{"merId":"100000","terId":"200000","originOutTradeNo":"20210315155012","outTradeNo":"20210315155013",' +
  '"notifyUrl":"https://www.example.com/baofoo/refund-notify","refundAmt":100,"totalAmt":100,"txnTime":"20210315155012",' +
  '"refundReason":"用户取消订单"}';
const BAOFOO_SIGNATURE =
  '376c9dc25efd4e92e60f31d97b90d2e87a669eedfb9a2c0779c8334c498b36f228f7227f92a5588a26b34b532d22bafcb0b8ff58f27f30d2' +
  '4199f3de360d2b623d34531479020a9e401638996f3e47f9334243353a929ac6a0dd8617d470eb5a4b06ae8dd1288c1c8298887f13a3c6' +
  '4a60a3dcddb5250dc0d1dc372a6cd23688d00faf1c5fa0743d42951f87ff0c2ec593a08829dcde3cd5d595fb18573d4d1fb498344783477a' +
  '6d688a578ea0bd52a9ffa9c3dbad0d377641d37185f48fb12097c6f16e4f9a3a23687449c587b51c089f7a41a4fda53ff8cd689bfc04f19f7' +
  '39253b1f296b7b5e04a029a24754393188a08d93fc9a7f72e17cac99ea472178c';

/** The SPKI public key PEM of a private key, derived with node:crypto. */
function spkiOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe('RSA signatures', () => {
  const umfPublic = spkiOf(UMF_PRIVATE_KEY);
  const baofooPublic = spkiOf(BAOFOO_PRIVATE_KEY);

  describe('UMF vector (SHA1withRSA, base64, 1024-bit key)', () => {
    it('signs the canonical request string as published', () => {
      expect(signRsa({ privateKeyPem: UMF_PRIVATE_KEY, data: UMF_SIGN_STRING, hash: 'sha1', output: 'base64' })).toBe(
        UMF_SIGNATURE,
      );
    });

    it('verifies the published signature with the SPKI public key', () => {
      const input = {
        publicKeyPem: umfPublic,
        data: UMF_SIGN_STRING,
        hash: 'sha1',
        input: 'base64',
      } as const;

      expect(verifyRsa({ ...input, signature: UMF_SIGNATURE })).toBe(true);
      expect(
        verifyRsa({
          ...input,
          data: UMF_SIGN_STRING.replace('amount=1', 'amount=2'),
          signature: UMF_SIGNATURE,
        }),
      ).toBe(false);
      expect(verifyRsa({ ...input, hash: 'sha256', signature: UMF_SIGNATURE })).toBe(false);
    });

    it('accepts a base64 signature wrapped over lines, as Java MIME encoders write it', () => {
      const wrapped = UMF_SIGNATURE.match(/.{1,76}/g)?.join('\r\n') ?? '';

      expect(
        verifyRsa({
          publicKeyPem: umfPublic,
          data: UMF_SIGN_STRING,
          signature: wrapped,
          hash: 'sha1',
          input: 'base64',
        }),
      ).toBe(true);
    });
  });

  describe('Baofoo vector (SHA256withRSA, lowercase hex, 2048-bit key)', () => {
    it('signs the bizContent as published', () => {
      expect(
        signRsa({
          privateKeyPem: BAOFOO_PRIVATE_KEY,
          data: BAOFOO_BIZ_CONTENT,
          hash: 'sha256',
          output: 'hex',
        }),
      ).toBe(BAOFOO_SIGNATURE);
    });

    it('verifies hex in either case', () => {
      const input = {
        publicKeyPem: baofooPublic,
        data: BAOFOO_BIZ_CONTENT,
        hash: 'sha256',
        input: 'hex',
      } as const;

      expect(verifyRsa({ ...input, signature: BAOFOO_SIGNATURE })).toBe(true);
      expect(verifyRsa({ ...input, signature: BAOFOO_SIGNATURE.toUpperCase() })).toBe(true);
      expect(verifyRsa({ ...input, data: BAOFOO_BIZ_CONTENT.replace('100', '101'), signature: BAOFOO_SIGNATURE })).toBe(
        false,
      );
    });
  });

  describe('malformed signatures are false, not errors', () => {
    const base = { publicKeyPem: baofooPublic, data: BAOFOO_BIZ_CONTENT, hash: 'sha256' } as const;

    it.each([undefined, null, '', '   ', 'xyz', 'abc', '0g'.repeat(256), BAOFOO_SIGNATURE.slice(0, 100)])(
      'hex %p',
      (signature) => {
        expect(verifyRsa({ ...base, input: 'hex', signature })).toBe(false);
      },
    );

    it.each(['', '!!!!', 'abc', 'YWJj=x==', Buffer.alloc(256, 1).toString('base64')])('base64 %p', (signature) => {
      expect(verifyRsa({ ...base, input: 'base64', signature })).toBe(false);
    });

    it('a signature made with another key', () => {
      const other = signRsa({
        privateKeyPem: UMF_PRIVATE_KEY,
        data: BAOFOO_BIZ_CONTENT,
        hash: 'sha256',
        output: 'hex',
      });

      expect(verifyRsa({ ...base, input: 'hex', signature: other })).toBe(false);
    });
  });

  describe('charset', () => {
    it('signs and verifies over GBK bytes when asked (UMF platform variant)', () => {
      const data = 'Memo=退款成功&retCode=0000';
      const signature = signRsa({
        privateKeyPem: UMF_PRIVATE_KEY,
        data,
        hash: 'sha1',
        output: 'base64',
        charset: 'gbk',
      });
      const verifyAs = (charset: 'utf8' | 'gbk') =>
        verifyRsa({ publicKeyPem: umfPublic, data, signature, hash: 'sha1', input: 'base64', charset });

      expect(verifyAs('gbk')).toBe(true);
      expect(verifyAs('utf8')).toBe(false);
    });
  });

  (hasOpenssl ? describe : describe.skip)('X.509 certificates (made with the openssl CLI)', () => {
    let certificate = '';

    beforeAll(() => {
      const dir = mkdtempSync(join(tmpdir(), 'gateway-kit-rsa-'));
      try {
        writeFileSync(join(dir, 'key.pem'), BAOFOO_PRIVATE_KEY);
        execFileSync(
          'openssl',
          [
            'req',
            '-new',
            '-x509',
            '-key',
            join(dir, 'key.pem'),
            '-subj',
            '/CN=refundhub gateway-kit test',
            '-days',
            '1',
            '-out',
            join(dir, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
        certificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('verifies with the certificate as with the public key', () => {
      expect(certificate).toContain('-----BEGIN CERTIFICATE-----');
      expect(
        verifyRsa({
          publicKeyPem: certificate,
          data: BAOFOO_BIZ_CONTENT,
          signature: BAOFOO_SIGNATURE,
          hash: 'sha256',
          input: 'hex',
        }),
      ).toBe(true);
      expect(
        verifyRsa({
          publicKeyPem: certificate,
          data: 'other',
          signature: BAOFOO_SIGNATURE,
          hash: 'sha256',
          input: 'hex',
        }),
      ).toBe(false);
    });
  });

  describe('keys', () => {
    it('accepts a PKCS#1 private key and a PKCS#1 public key', () => {
      const pkcs1Private = createPrivateKey(UMF_PRIVATE_KEY).export({ type: 'pkcs1', format: 'pem' }).toString();
      const pkcs1Public = createPublicKey(UMF_PRIVATE_KEY).export({ type: 'pkcs1', format: 'pem' }).toString();

      const signature = signRsa({
        privateKeyPem: pkcs1Private,
        data: UMF_SIGN_STRING,
        hash: 'sha1',
        output: 'base64',
      });

      expect(signature).toBe(UMF_SIGNATURE);
      expect(
        verifyRsa({
          publicKeyPem: pkcs1Public,
          data: UMF_SIGN_STRING,
          signature,
          hash: 'sha1',
          input: 'base64',
        }),
      ).toBe(true);
    });

    it('names an unusable key in its error, without showing it', () => {
      const lines = UMF_PRIVATE_KEY.split('\n');
      const broken = [...lines.slice(0, 4), ...lines.slice(-2)].join('\n');
      const call = () =>
        signRsa({
          privateKeyPem: broken,
          data: 'x',
          hash: 'sha1',
          output: 'base64',
          keyName: 'UMF merchant private key',
        });

      expect(call).toThrow(/^UMF merchant private key is malformed/);
      expect(messageOf(call)).not.toMatch(/MII|BEGIN/);
      expect(() =>
        verifyRsa({
          publicKeyPem: 'garbage',
          data: 'x',
          signature: 'ab',
          hash: 'sha1',
          input: 'hex',
          keyName: 'UMF platform certificate',
        }),
      ).toThrow(/^UMF platform certificate is malformed/);
    });
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
