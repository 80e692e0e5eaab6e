import { createPublicKey, generateKeyPairSync } from 'node:crypto';

import { signBaofoo, verifyBaofoo } from './baofoo.signer';

/** PROTOCOLS.md §4 "Baofoo test vector": a made-up 2048-bit key. */
const VECTOR_PRIVATE_KEY = [
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
const VECTOR_CONTENT =
  '{"merId":"100000","terId":"200000","originOutTradeNo":"20210315155012","outTradeNo":"20210315155013","notifyUrl":"https://www.example.com/baofoo/refund-notify","refundAmt":100,"totalAmt":100,"txnTime":"20210315155012","refundReason":"用户取消订单"}';
const VECTOR_SIGN_STR = [
  '376c9dc25efd4e92e60f31d97b90d2e87a669eedfb9a2c0779c8334c498b36f228f7227f92a5588a26b34b532d22bafc',
  'b0b8ff58f27f30d24199f3de360d2b623d34531479020a9e401638996f3e47f9334243353a929ac6a0dd8617d470eb5a',
  '4b06ae8dd1288c1c8298887f13a3c64a60a3dcddb5250dc0d1dc372a6cd23688d00faf1c5fa0743d42951f87ff0c2ec5',
  '93a08829dcde3cd5d595fb18573d4d1fb498344783477a6d688a578ea0bd52a9ffa9c3dbad0d377641d37185f48fb120',
  '97c6f16e4f9a3a23687449c587b51c089f7a41a4fda53ff8cd689bfc04f19f739253b1f296b7b5e04a029a2475439318',
  '8a08d93fc9a7f72e17cac99ea472178c',
].join('');

/** Generated once per file: 2048-bit generation costs about 100 ms. */
const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const merchant = pair();
const stranger = pair();

describe('Baofoo signer', () => {
  it('reproduces the documented vector: SHA256withRSA over the bizContent string, lowercase hex', () => {
    expect(signBaofoo({ privateKeyPem: VECTOR_PRIVATE_KEY, content: VECTOR_CONTENT })).toBe(VECTOR_SIGN_STR);
    expect(VECTOR_SIGN_STR).toMatch(/^[0-9a-f]{512}$/);
  });

  it('verifies the vector with the public half of its key, in either hex case', () => {
    const publicKeyPem = vectorPublicKey();
    expect(verifyBaofoo({ publicKeyPem, content: VECTOR_CONTENT, signStr: VECTOR_SIGN_STR })).toBe(true);
    expect(verifyBaofoo({ publicKeyPem, content: VECTOR_CONTENT, signStr: VECTOR_SIGN_STR.toUpperCase() })).toBe(true);
  });

  it('round-trips with a generated key, CJK and markup left as they are', () => {
    const content = JSON.stringify({ outTradeNo: 'R1', refundReason: '用户取消 <订单> & 退款', refundAmt: 100 });
    const signStr = signBaofoo({ privateKeyPem: merchant.privateKey, content });
    expect(verifyBaofoo({ publicKeyPem: merchant.publicKey, content, signStr })).toBe(true);
  });

  it('refuses another key, a changed content and a re-serialised content', () => {
    const content = '{"outTradeNo":"R1","refundAmt":100}';
    const signStr = signBaofoo({ privateKeyPem: merchant.privateKey, content });
    expect(verifyBaofoo({ publicKeyPem: stranger.publicKey, content, signStr })).toBe(false);
    expect(verifyBaofoo({ publicKeyPem: merchant.publicKey, content: content.replace('100', '101'), signStr })).toBe(
      false,
    );
    // No canonicalisation: the same fields with other whitespace are other bytes.
    expect(
      verifyBaofoo({ publicKeyPem: merchant.publicKey, content: '{"outTradeNo": "R1","refundAmt":100}', signStr }),
    ).toBe(false);
  });

  it.each([undefined, null, '', 'zz', 'abc'])('never verifies a missing or non-hex signStr (%p)', (signStr) => {
    expect(verifyBaofoo({ publicKeyPem: merchant.publicKey, content: '{}', signStr })).toBe(false);
  });

  it('throws for an unusable key, naming it without showing it', () => {
    expect(() => signBaofoo({ privateKeyPem: 'not a key', content: '{}' })).toThrow(
      'Baofoo merchant private key is malformed',
    );
    expect(() => verifyBaofoo({ publicKeyPem: merchant.privateKey, content: '{}', signStr: 'ab' })).toThrow(
      'Baofoo platform public key is a private key',
    );
  });
});

function vectorPublicKey(): string {
  return createPublicKey(VECTOR_PRIVATE_KEY).export({ type: 'spki', format: 'pem' }).toString();
}
