import type { ServerResponse } from 'node:http';

/** An error answer in the SPEC's shape, `{"error": {"code", "message"}}`. */
export function jsonErrorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** Answers the error; returns the body's length in bytes. */
export function sendJsonError(response: ServerResponse, status: number, code: string, message: string): number {
  const body = jsonErrorBody(code, message);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(body);
  return Buffer.byteLength(body);
}
