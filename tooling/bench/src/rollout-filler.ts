import { open } from 'node:fs/promises';
import { encodeRolloutLine, formatMillisTimestamp } from '@agent-identity/protocol';

/** A small deterministic PRNG (mulberry32): the same filler on every run, no `Math.random`. */
function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const WORDS =
  'the upload client retries with jitter when the server answers 503 and reads the body once per attempt'.split(' ');

function text(random: () => number, chars: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = WORDS[Math.floor(random() * WORDS.length)] ?? 'x';
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(' ');
}

/**
 * Conversation lines as a Codex rollout holds them — user and assistant messages, tool calls with
 * large outputs, reasoning — none of them a `session_state` line, about `bytes` long in all.
 */
export function conversationBlock(bytes: number, seed: number, epochMs: number): Buffer {
  const random = pseudoRandom(seed);
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i += 1) {
    const timestamp = formatMillisTimestamp(epochMs + i);
    const kind = random();
    const payload =
      kind < 0.35
        ? {
            type: 'message',
            role: random() < 0.5 ? 'user' : 'assistant',
            content: [{ type: 'output_text', text: text(random, 100 + random() * 3000) }],
          }
        : kind < 0.6
          ? { type: 'function_call_output', call_id: `call_${i}`, output: text(random, 500 + random() * 20_000) }
          : kind < 0.8
            ? {
                type: 'function_call',
                name: 'shell',
                arguments: JSON.stringify({ command: ['rg', text(random, 40)] }),
                call_id: `call_${i}`,
              }
            : {
                type: 'reasoning',
                summary: [{ type: 'summary_text', text: text(random, 200) }],
                encrypted_content: text(random, 800),
              };
    const line = `${encodeRolloutLine({ timestamp, type: 'response_item', payload })}\n`;
    lines.push(line);
    length += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join(''));
}

/** Appends `block` to `path` until `bytes` more bytes are written (whole blocks: fast big writes). */
export async function appendBlocks(path: string, block: Buffer, bytes: number): Promise<void> {
  const handle = await open(path, 'a');
  try {
    for (let written = 0; written < bytes; written += block.length) await handle.write(block);
  } finally {
    await handle.close();
  }
}
