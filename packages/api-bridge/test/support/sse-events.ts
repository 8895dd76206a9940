import { ResponseStreamEvent, ResponseTextAccumulator, SseDecoder } from '@agent-identity/protocol';

/** The Responses events of an SSE body, each yielded as soon as its bytes have arrived. */
export async function* streamEvents(response: Response): AsyncGenerator<ResponseStreamEvent> {
  if (response.body === null) return;
  const decoder = new SseDecoder();
  const text = new TextDecoder();
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    for (const event of decoder.push(text.decode(chunk, { stream: true }))) {
      yield ResponseStreamEvent.parse(JSON.parse(event.data));
    }
  }
}

/** Every event of an SSE body. */
export async function readEvents(response: Response): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of streamEvents(response)) events.push(event);
  return events;
}

/** The answer text of a completed SSE body, folded as clients fold it (SPEC §3.8). */
export async function outputText(response: Response): Promise<string> {
  const answer = new ResponseTextAccumulator();
  for await (const event of streamEvents(response)) answer.add(event);
  return answer.finish().text;
}

/** A `POST /v1/responses` init asking the model to answer `text`, streamed. */
export function responsesRequest(text: string, init: RequestInit = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test-model', input: text, stream: true }),
    ...init,
  };
}
