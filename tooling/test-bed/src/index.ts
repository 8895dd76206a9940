export { boundedFetch } from './bounded-fetch.js';
export { ALICE, BOB, CAROL, loginOf, USERS } from './test-users.js';
export { closeRuntimeBeds, FAST_RETRY, RuntimeBed, type RuntimeBedOptions } from './runtime-bed.js';
export {
  ANSWER,
  COMPLETING_STREAMS,
  FAILING_STREAMS,
  SERVER_FAILURE_MESSAGE,
  type CompletingStream,
  type FailingStream,
  type ModelStream,
} from './model-stream-scenarios.js';
export { ScriptedModelServer, type ModelCall } from './scripted-model-server.js';
export { runTypeScriptSource, type SourceRun } from './source-run.js';
