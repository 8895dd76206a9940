/** The fields of {@link responseObjectDefaults}. */
export interface ResponseObjectDefaults {
  incomplete_details: null;
  instructions: null;
  metadata: Record<string, string>;
  parallel_tool_calls: true;
  temperature: 1;
  top_p: 1;
  tool_choice: 'auto';
  tools: never[];
}

/**
 * The fields of a Responses API `response` object (SPEC §3.8) that a server which exposes no
 * sampling settings sends with the same values every time: what the reference backend and the
 * test-bed's independent model server put beside their own id, model and status. Fresh each call.
 */
export function responseObjectDefaults(): ResponseObjectDefaults {
  return {
    incomplete_details: null,
    instructions: null,
    metadata: {},
    parallel_tool_calls: true,
    temperature: 1,
    top_p: 1,
    tool_choice: 'auto',
    tools: [],
  };
}
