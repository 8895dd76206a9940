export { boundedFetch } from './bounded-fetch.js';
export { ALICE, BOB, loginOf, USERS } from './test-users.js';
export { closeRuntimeBeds, FAST_RETRY, RuntimeBed, type RuntimeBedOptions } from './runtime-bed.js';
