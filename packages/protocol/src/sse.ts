import { AgentIdentityError } from './errors.js';

/**
 * Server-Sent Events framing (the WHATWG event-stream format) as the downstream model endpoint
 * uses it (SPEC §3.8): one event per JSON object, named on an `event:` line.
 */

const LINE_BREAK = /[\r\n]/;

/**
 * `event: <type>\ndata: <json>\n\n`. `JSON.stringify` escapes line breaks inside strings, so the
 * data is always one line; a `type` with a line break would split the frame and is refused.
 */
export function encodeSseEvent(event: { type: string }): string {
  if (LINE_BREAK.test(event.type)) {
    throw new AgentIdentityError('SSE_EVENT_INVALID', 'an SSE event type must not contain a line break');
  }
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** One dispatched event: `event` defaults to `message`, `data` lines joined with `\n`. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental event-stream parser: push decoded text chunks as they arrive (split anywhere, even
 * between `\r` and `\n`), get back the events they complete. Handles `\n`, `\r\n` and `\r` line
 * ends, `:` comments, a leading BOM, and ignores `retry:` and unknown fields. A chunk is scanned
 * once, so a long event delivered in many small chunks costs linear time. Text must already be
 * decoded (e.g. `TextDecoder` with `{ stream: true }`).
 */
export class SseDecoder {
  #partialLine = '';
  #skipNextLineFeed = false;
  #atStreamStart = true;
  #eventName = '';
  #dataLines: string[] = [];
  #lastEventId: string | undefined;

  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (this.#atStreamStart && text !== '') {
      this.#atStreamStart = false;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    if (this.#skipNextLineFeed && text.startsWith('\n')) start = 1;
    if (text !== '') this.#skipNextLineFeed = false;
    const lineBreaks = /[\r\n]/g;
    lineBreaks.lastIndex = start;
    for (let match = lineBreaks.exec(text); match !== null; match = lineBreaks.exec(text)) {
      const end = match.index;
      const line = this.#partialLine + text.slice(start, end);
      this.#partialLine = '';
      const event = this.#processLine(line);
      if (event !== undefined) events.push(event);
      start = end + 1;
      if (text[end] === '\r') {
        if (end + 1 === text.length) this.#skipNextLineFeed = true;
        else if (text[end + 1] === '\n') start = end + 2;
      }
      lineBreaks.lastIndex = start;
    }
    this.#partialLine += text.slice(start);
    return events;
  }

  #processLine(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#eventName = value;
        break;
      case 'data':
        this.#dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      default:
        // `retry` and unknown fields carry nothing these streams use.
        break;
    }
    return undefined;
  }

  #dispatch(): SseEvent | undefined {
    const eventName = this.#eventName;
    const dataLines = this.#dataLines;
    this.#eventName = '';
    this.#dataLines = [];
    if (dataLines.length === 0) return undefined;
    const event: SseEvent = { event: eventName === '' ? 'message' : eventName, data: dataLines.join('\n') };
    if (this.#lastEventId !== undefined) event.id = this.#lastEventId;
    return event;
  }
}
