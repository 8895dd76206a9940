/**
 * A WebSocket a server ends because it no longer accepts the credentials it was opened with — its
 * task or agent was revoked (SPEC §5 "Security rules") — closes with this code, and the close
 * reason is the SPEC §3.8 refusal code a new handshake with those credentials would get
 * (`task_invalid`, `unknown_agent`), so a client heals it as it would heal that refusal.
 */
export const CREDENTIALS_REVOKED_CLOSE_CODE = 4401;
