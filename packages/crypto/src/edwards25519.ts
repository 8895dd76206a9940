import { CryptoError } from './crypto-error.js';
import { requireKeyBytes } from './key-bytes.js';

// Just enough edwards25519 arithmetic (RFC 8032 §5.1) to check a public key the way libsodium's
// crypto_sign_ed25519_pk_to_curve25519 does. Public inputs only, so variable time is fine.
const p = 2n ** 255n - 19n;
const d = mod(-121665n * invert(121666n));
const sqrtMinusOne = power(2n, (p - 1n) / 4n);
/** The order of the prime-order subgroup. */
const groupOrder = 2n ** 252n + 27742317777372353535851937790883648493n;

/** A point in extended coordinates: x = X/Z, y = Y/Z, x·y = T/Z. */
interface ExtendedPoint {
  X: bigint;
  Y: bigint;
  Z: bigint;
  T: bigint;
}

const identity: ExtendedPoint = { X: 0n, Y: 1n, Z: 1n, T: 0n };

function mod(a: bigint): bigint {
  const r = a % p;
  return r < 0n ? r + p : r;
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % p;
    b = (b * b) % p;
    e >>= 1n;
  }
  return result;
}

/** Modular inverse (Fermat); 0 maps to 0, which callers rule out first. */
function invert(a: bigint): bigint {
  return power(a, p - 2n);
}

// The unified addition of RFC 8032 §5.1.4: complete on edwards25519, so it also doubles.
function add(P: ExtendedPoint, Q: ExtendedPoint): ExtendedPoint {
  const A = mod((P.Y - P.X) * (Q.Y - Q.X));
  const B = mod((P.Y + P.X) * (Q.Y + Q.X));
  const C = mod(P.T * 2n * d * Q.T);
  const D = mod(P.Z * 2n * Q.Z);
  const E = B - A;
  const F = D - C;
  const G = D + C;
  const H = B + A;
  return { X: mod(E * F), Y: mod(G * H), Z: mod(F * G), T: mod(E * H) };
}

function multiply(P: ExtendedPoint, scalar: bigint): ExtendedPoint {
  let result = identity;
  let addend = P;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

function isIdentity(P: ExtendedPoint): boolean {
  return P.X === 0n && P.Y === P.Z;
}

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

function bigIntToLittleEndian(value: bigint): Uint8Array {
  const bytes = new Uint8Array(32);
  let v = value;
  for (let i = 0; i < 32; i += 1) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytes;
}

function invalidPoint(reason: string): CryptoError {
  return new CryptoError('KEY_INVALID', `Ed25519 public key ${reason}`);
}

/**
 * The point of an Ed25519 public key after checking it is the canonical encoding of a point on
 * the curve (RFC 8032 §5.1.3) and not of small order; `KEY_INVALID` otherwise.
 */
function decodeCheckedPoint(publicKey: Uint8Array): ExtendedPoint {
  requireKeyBytes(publicKey, 'an Ed25519 public key');
  const encoded = littleEndianToBigInt(publicKey);
  const xIsOdd = encoded >> 255n === 1n;
  const y = encoded & ((1n << 255n) - 1n);
  if (y >= p) throw invalidPoint('is not canonically encoded');
  // x² = (y² − 1) / (d·y² + 1); x = u·v³·(u·v⁷)^((p−5)/8), then fix up by √−1 if needed.
  const y2 = mod(y * y);
  const u = mod(y2 - 1n);
  const v = mod(d * y2 + 1n);
  const v3 = mod(v * v * v);
  let x = mod(u * v3 * power(u * v3 * v3 * v, (p - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === mod(-u)) x = mod(x * sqrtMinusOne);
  else if (vx2 !== u) throw invalidPoint('is not a point on the curve');
  if (x === 0n && xIsOdd) throw invalidPoint('is not canonically encoded');
  if ((x & 1n) !== (xIsOdd ? 1n : 0n)) x = p - x;

  const point: ExtendedPoint = { X: x, Y: y, Z: 1n, T: mod(x * y) };
  if (isIdentity(multiply(point, 8n))) throw invalidPoint('has small order');
  return point;
}

/**
 * Checks that 32 bytes are a usable Ed25519 public key: a canonically encoded curve point that is
 * not of small order (a small-order key verifies forged signatures). `KEY_INVALID` otherwise.
 */
export function checkEd25519PublicKey(publicKey: Uint8Array): void {
  decodeCheckedPoint(publicKey);
}

/**
 * The X25519 public key of an Ed25519 public key (SPEC §3.5): the birational map
 * u = (1 + y) / (1 − y) mod p, after the checks of libsodium's
 * `crypto_sign_ed25519_pk_to_curve25519` (on the curve, not of small order — which rules out
 * 1 − y = 0 — and in the prime-order subgroup). Equals what `deriveX25519SecretKey` +
 * `x25519PublicKeyFromSecret` give from the key's seed.
 */
export function ed25519PublicKeyToX25519(edPublic: Uint8Array): Uint8Array {
  const point = decodeCheckedPoint(edPublic);
  if (!isIdentity(multiply(point, groupOrder))) throw invalidPoint('is not in the prime-order subgroup');
  const y = point.Y;
  return bigIntToLittleEndian(mod((1n + y) * invert(mod(1n - y))));
}
