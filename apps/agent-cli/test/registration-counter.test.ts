import { describe, expect, it } from 'vitest';
import { RegistrationCounter } from '../src/registration-counter.js';

describe('RegistrationCounter', () => {
  it('counts the 2xx answers of identity and task registrations, nothing else', async () => {
    const counter = new RegistrationCounter();
    const answers: Record<string, number> = {
      '/backend-api/v1/agent/register': 200,
      '/backend-api/v1/agent/agent-1/task/register': 200,
      '/backend-api/v1/agent/agent-2/task/register': 503,
      '/backend-api/authenticate_app_v2': 200,
      '/backend-api/v1/responses': 200,
    };
    const fetch = counter.countingFetch((input) =>
      Promise.resolve(new Response(null, { status: answers[new URL(input).pathname] ?? 404 })),
    );

    for (const path of Object.keys(answers)) await fetch(`https://backend.example${path}`, {});

    expect(counter.counts).toEqual({ identity: 1, task: 1 });
  });
});
