import type { ServerResponse } from 'node:http';
import type { HttpError } from './http-error.js';

/** `{"error": {"code", "message"}}`: every refusal of this backend has this shape. */
export function errorBody(
  code: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): { error: { code: string; message: string } } {
  return { error: { ...details, code, message } };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

export function sendHttpError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, errorBody(error.errorCode, error.message, error.details), { ...error.headers });
}
