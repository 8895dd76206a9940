export { CryptoError, type CryptoErrorCode } from './crypto-error.js';
export { decodePkcs8, encodePkcs8V1, encodePkcs8V2, type DecodedPkcs8 } from './pkcs8.js';
export { ed25519PublicKeyToX25519 } from './edwards25519.js';
export { deriveX25519SecretKey, x25519PublicKeyFromSecret } from './x25519.js';
export { openSealedBox, sealBox } from './sealed-box.js';
export type { RandomBytes, RandomBytesOptions } from './random-bytes.js';
