import type * as z from 'zod/mini';
import { HttpError } from './http-error.js';
import type { HttpExchange } from './http-exchange.js';
import { readJsonBody } from './json-body.js';

/**
 * The JSON body checked against a protocol schema; 400 `invalid_request` naming the first field
 * that is wrong (never its value: bodies carry keys and signatures).
 */
export async function readBodyAs<Schema extends z.ZodMiniType>(
  exchange: HttpExchange,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const parsed = schema.safeParse(await readJsonBody(exchange.request));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'body' : `body field ${issue.path.join('.')}`;
  throw new HttpError(400, 'invalid_request', `${field} is missing or invalid`);
}
