export { CryptoError, type CryptoErrorCode } from './crypto-error.js';
export { decodePkcs8, encodePkcs8V1, encodePkcs8V2, type DecodedPkcs8 } from './pkcs8.js';
export { parseSshPublicKey, sshPublicKey } from './ssh-public-key.js';
export { AgentSigningKey } from './agent-signing-key.js';
export { AgentPublicKey } from './agent-public-key.js';
export type { SignedMessage } from './message-bytes.js';
export {
  signTaskRegistration,
  taskRegistrationMessage,
  verifyTaskRegistration,
} from './task-registration-signature.js';
export { buildAgentAssertion, verifyAgentAssertionSignature, type AgentAssertionClaims } from './agent-assertion.js';
export { AgentAssertionSigner, type AgentAssertionTask } from './agent-assertion-signer.js';
export { assertionRuntimeMismatch } from './assertion-runtime-mismatch.js';
export { ed25519PublicKeyToX25519 } from './edwards25519.js';
export { deriveX25519SecretKey, x25519PublicKeyFromSecret } from './x25519.js';
export { openSealedBox, sealBox } from './sealed-box.js';
export { openSealedTaskId, sealTaskId } from './sealed-task-id.js';
export type { RandomBytes, RandomBytesOptions } from './random-bytes.js';
