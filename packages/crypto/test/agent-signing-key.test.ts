import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AgentPublicKey, AgentSigningKey, encodePkcs8V2 } from '../src/index.js';
import { expectCryptoError } from './expect-crypto-error.js';
import {
  fromBase64,
  golden,
  goldenPublicKey,
  goldenSeed,
  goldenX25519Public,
  goldenX25519Secret,
} from './golden-vectors.js';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe('AgentSigningKey from the golden seed', () => {
  const key = AgentSigningKey.fromSeed(goldenSeed);

  it('derives the golden public key', () => {
    expect(key.publicKey).toEqual(goldenPublicKey);
  });

  it('has the golden SSH public key', () => {
    expect(key.sshPublicKey).toBe(golden.ssh_public_key);
  });

  it('writes the golden PKCS#8 v2 base64', () => {
    expect(key.toPkcs8Base64()).toBe(golden.pkcs8_v2_base64);
  });

  it('derives the golden X25519 secret and public keys', () => {
    expect(hex(key.x25519SecretKey())).toBe(hex(goldenX25519Secret));
    expect(hex(key.x25519PublicKey())).toBe(hex(goldenX25519Public));
  });

  it('signs the golden task-registration message to the golden signature', () => {
    expect(Buffer.from(key.sign(golden.task_registration.message)).toString('base64')).toBe(
      golden.task_registration.signature,
    );
  });

  it('signs a string as its UTF-8 bytes', () => {
    const text = 'agent-✓:2026-03-23T12:00:00Z';
    expect(key.sign(text)).toEqual(key.sign(new TextEncoder().encode(text)));
  });

  it('hands out copies: changing them changes nothing', () => {
    key.publicKey.fill(0);
    key.x25519SecretKey().fill(0);
    key.x25519PublicKey().fill(0);
    expect(hex(key.publicKey)).toBe(golden.ed25519_public_hex);
    expect(hex(key.x25519SecretKey())).toBe(hex(goldenX25519Secret));
    expect(hex(key.x25519PublicKey())).toBe(hex(goldenX25519Public));
  });

  it("copies the seed: zeroing the caller's seed leaves the key intact", () => {
    const seed = Uint8Array.from(goldenSeed);
    const own = AgentSigningKey.fromSeed(seed);
    seed.fill(0);
    expect(own.toPkcs8Base64()).toBe(golden.pkcs8_v2_base64);
  });
});

describe('AgentSigningKey.fromPkcs8 / fromPkcs8Base64', () => {
  it('reads the golden v2 and v1 forms to the same key', () => {
    for (const text of [golden.pkcs8_v2_base64, golden.pkcs8_v1_base64]) {
      const key = AgentSigningKey.fromPkcs8Base64(text);
      expect(hex(key.publicKey)).toBe(golden.ed25519_public_hex);
      expect(key.toPkcs8Base64()).toBe(golden.pkcs8_v2_base64);
      expect(hex(AgentSigningKey.fromPkcs8(fromBase64(text)).publicKey)).toBe(golden.ed25519_public_hex);
    }
  });

  it('rejects a v2 document whose embedded public key does not match the seed', () => {
    const other = AgentSigningKey.fromSeed(new Uint8Array(32).fill(8)).publicKey;
    const error = expectCryptoError(() => AgentSigningKey.fromPkcs8(encodePkcs8V2(goldenSeed, other)), 'KEY_INVALID');
    expect(error.message).toBe('private key embeds a public key that does not match its seed');
  });

  it('rejects text that is not strict standard base64, without quoting it', () => {
    const v2 = golden.pkcs8_v2_base64;
    for (const text of [
      v2.slice(0, -1), // padding missing
      `${v2}\n`,
      ` ${v2}`,
      Buffer.from(fromBase64(v2)).toString('base64url'),
      `${v2.slice(0, 10)}*${v2.slice(11)}`,
    ]) {
      const error = expectCryptoError(() => AgentSigningKey.fromPkcs8Base64(text), 'KEY_INVALID');
      expect(error.message).toBe('private key is not valid base64');
      expect(error.cause).toBeUndefined();
    }
  });

  it('rejects base64 of every truncation of the v2 form', () => {
    const v2 = fromBase64(golden.pkcs8_v2_base64);
    for (let length = 0; length < v2.length; length += 1) {
      expectCryptoError(
        () => AgentSigningKey.fromPkcs8Base64(Buffer.from(v2.subarray(0, length)).toString('base64')),
        'KEY_INVALID',
      );
    }
  });
});

describe('AgentSigningKey.generate', () => {
  it('round-trips through toPkcs8Base64 → fromPkcs8Base64', () => {
    const key = AgentSigningKey.generate();
    const again = AgentSigningKey.fromPkcs8Base64(key.toPkcs8Base64());
    expect(again.publicKey).toEqual(key.publicKey);
    expect(again.sign('m')).toEqual(key.sign('m'));
  });

  it('makes a different key each time by default', () => {
    expect(AgentSigningKey.generate().publicKey).not.toEqual(AgentSigningKey.generate().publicKey);
  });

  it('uses the injected random bytes as the seed', () => {
    const key = AgentSigningKey.generate({ randomBytes: (n) => new Uint8Array(n).fill(7) });
    expect(key.toPkcs8Base64()).toBe(golden.pkcs8_v2_base64);
  });

  it('rejects a random source that returns the wrong number of bytes', () => {
    expectCryptoError(() => AgentSigningKey.generate({ randomBytes: () => new Uint8Array(31) }), 'KEY_INVALID');
  });

  it('signs what the matching AgentPublicKey verifies', () => {
    const key = AgentSigningKey.generate();
    const publicKey = AgentPublicKey.fromRaw(key.publicKey);
    expect(
      publicKey.verify('agent-1:task-1:2026-01-01T00:00:00Z', key.sign('agent-1:task-1:2026-01-01T00:00:00Z')),
    ).toBe(true);
  });
});

describe('AgentSigningKey.fromSeed', () => {
  it('rejects a seed that is not 32 bytes', () => {
    expectCryptoError(() => AgentSigningKey.fromSeed(new Uint8Array(33)), 'KEY_INVALID');
    expectCryptoError(() => AgentSigningKey.fromSeed(new Uint8Array(0)), 'KEY_INVALID');
  });
});

describe('AgentSigningKey never shows its secret', () => {
  const key = AgentSigningKey.fromSeed(goldenSeed);
  const v1Der = fromBase64(golden.pkcs8_v1_base64);
  const secrets = [
    golden.seed_hex,
    Buffer.from(goldenSeed).toString('base64').slice(0, 16),
    golden.pkcs8_v2_base64.slice(0, 40),
    golden.pkcs8_v1_base64.slice(0, 40),
    Buffer.from(v1Der).toString('hex').slice(32, 64),
    hex(goldenX25519Secret),
    '7, 7, 7, 7',
  ];
  const renderings = {
    'util.inspect': inspect(key),
    'util.inspect showHidden': inspect(key, { showHidden: true, depth: Infinity }),
    'util.inspect nested': inspect({ identity: { key } }, { depth: Infinity }),
    'JSON.stringify': JSON.stringify(key),
    'JSON.stringify nested': JSON.stringify({ key }),
    String: String(key),
    'Object.entries': JSON.stringify(Object.entries(key)),
    structuredClone: inspect(structuredClone(key)),
  };

  for (const [how, text] of Object.entries(renderings)) {
    it(`${how} contains no seed or PKCS#8 bytes`, () => {
      for (const secret of secrets) expect(text).not.toContain(secret);
    });
  }

  it('shows the SSH public key instead', () => {
    expect(inspect(key)).toBe(`AgentSigningKey { sshPublicKey: '${golden.ssh_public_key}' }`);
    expect(JSON.parse(JSON.stringify(key))).toEqual({ sshPublicKey: golden.ssh_public_key });
    expect(String(key)).toBe(`AgentSigningKey(${golden.ssh_public_key})`);
  });
});
