import { ResponseStreamError } from './errors.js';
import {
  OutputTextContent,
  ResponseOutputItem,
  type ResponseErrorEvent,
  type ResponseObject,
  type ResponseStreamEvent,
  type ResponseUsage,
} from './responses-events.js';

/** Which events a turn's text was taken from, best first (SPEC §3.8). */
export type ResponseTextSource = 'deltas' | 'output_text_done' | 'output_item_done' | 'completed_response' | 'none';

/** What a completed Responses stream produced. */
export interface ResponseText {
  readonly text: string;
  /** Where `text` came from: `deltas` means a reader that showed the deltas has shown it all. */
  readonly source: ResponseTextSource;
  readonly responseId: string | undefined;
  readonly usage: ResponseUsage | undefined;
}

/** The assistant text of an output item: its `output_text` parts joined; `undefined` if it is not a message. */
function messageText(value: unknown): string | undefined {
  const item = ResponseOutputItem.safeParse(value);
  if (
    !item.success ||
    item.data.type !== 'message' ||
    (item.data.role !== undefined && item.data.role !== 'assistant')
  ) {
    return undefined;
  }
  return (item.data.content ?? [])
    .map((part) => {
      const text = OutputTextContent.safeParse(part);
      return text.success ? text.data.text : '';
    })
    .join('');
}

// A server's message is shown to the user; a runaway one is cut.
const MAX_SERVER_MESSAGE_CHARS = 512;

function serverMessage(detail: { code?: string | null; message?: string | null } | null | undefined): string {
  const full = detail?.message ?? 'no message given';
  const message = full.length > MAX_SERVER_MESSAGE_CHARS ? `${full.slice(0, MAX_SERVER_MESSAGE_CHARS)}…` : full;
  return detail?.code == null ? message : `${message} (${detail.code})`;
}

/**
 * The one fold of a Responses stream into a turn's text (SPEC §3.8), for every client transport.
 * Liberal in what it accepts: the text comes from the deltas, else from `output_text.done`, else
 * from `output_item.done`, else from the completed Response's `output`; `usage`, indexes and the
 * `*.added`/`*.done` events may be missing. `response.completed` ends the turn with the text;
 * `response.failed`, `response.incomplete` and an `error` event end it with the server's message;
 * a stream that ends before any of them is `RESPONSE_STREAM_CUT`.
 *
 * Feed every event to `add` (it returns `true` once the turn completed), then call `finish`.
 */
export class ResponseTextAccumulator {
  #deltas: string[] | undefined;
  #doneTexts: string[] | undefined;
  #itemTexts: string[] | undefined;
  #responseId: string | undefined;
  #completed: ResponseObject | undefined;
  #finished = false;

  /** Folds one event; `true` when it completed the turn. Throws `ResponseStreamError` when it failed it. */
  add(event: ResponseStreamEvent): boolean {
    if (this.#finished) return true;
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
        this.#responseId ??= event.response?.id;
        return false;
      case 'response.output_text.delta':
        (this.#deltas ??= []).push(event.delta);
        return false;
      case 'response.output_text.done':
        (this.#doneTexts ??= []).push(event.text);
        return false;
      case 'response.output_item.done': {
        const text = messageText(event.item);
        if (text !== undefined) (this.#itemTexts ??= []).push(text);
        return false;
      }
      case 'response.completed':
        this.#completed = event.response ?? {};
        this.#responseId = event.response?.id ?? this.#responseId;
        this.#finished = true;
        return true;
      case 'response.failed':
        throw new ResponseStreamError(
          'RESPONSE_FAILED',
          `the model response failed: ${serverMessage(event.response?.error)}`,
          {
            serverCode: event.response?.error?.code ?? undefined,
          },
        );
      case 'response.incomplete': {
        const reason = event.response?.incomplete_details?.reason ?? undefined;
        throw new ResponseStreamError(
          'RESPONSE_INCOMPLETE',
          `the model response is incomplete: ${reason ?? 'no reason given'}`,
          {
            serverCode: reason,
          },
        );
      }
      case 'error':
        throw errorEventFailure(event);
      default:
        return false;
    }
  }

  /** The turn's text once `add` returned `true`; `RESPONSE_STREAM_CUT` if the stream ended before that. */
  finish(): ResponseText {
    const completed = this.#completed;
    if (completed === undefined) {
      throw new ResponseStreamError(
        'RESPONSE_STREAM_CUT',
        'the model stream ended before a terminal event (response.completed, response.failed, response.incomplete or error)',
      );
    }
    const base = { responseId: this.#responseId, usage: completed.usage ?? undefined };
    if (this.#deltas !== undefined) return { ...base, text: this.#deltas.join(''), source: 'deltas' };
    if (this.#doneTexts !== undefined) return { ...base, text: this.#doneTexts.join(''), source: 'output_text_done' };
    if (this.#itemTexts !== undefined) return { ...base, text: this.#itemTexts.join(''), source: 'output_item_done' };
    const outputTexts = (completed.output ?? []).map(messageText).filter((text) => text !== undefined);
    if (outputTexts.length > 0) return { ...base, text: outputTexts.join(''), source: 'completed_response' };
    return { ...base, text: '', source: 'none' };
  }
}

function errorEventFailure(event: ResponseErrorEvent): ResponseStreamError {
  const detail = event.message == null && event.code == null ? event.error : event;
  return new ResponseStreamError('RESPONSE_ERROR_EVENT', `the model endpoint sent an error: ${serverMessage(detail)}`, {
    serverCode: detail?.code ?? undefined,
  });
}
