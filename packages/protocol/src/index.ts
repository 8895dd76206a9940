export { AgentIdentityError, hasErrorMarker, type AgentIdentityErrorOptions } from './errors.js';
