import { IdTokenError, type AuthFileError } from '@agent-identity/protocol';
import { CoreError } from '../runtime/errors.js';

/**
 * `AUTH_FILE_CORRUPT` for an auth file that cannot be used. The message names the file and the
 * field (from the protocol error), never a value: the file holds tokens and a private key.
 */
export function authFileCorrupt(path: string, error: AuthFileError | IdTokenError): CoreError {
  const detail = IdTokenError.isInstance(error) ? `tokens.id_token: ${error.message}` : error.message;
  return new CoreError(
    'AUTH_FILE_CORRUPT',
    `the auth file ${path} cannot be used (${detail}); it was left as it is — fix or remove it`,
    { cause: error },
  );
}
