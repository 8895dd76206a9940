/**
 * Which protocol profile a registration came through: `codex-0.122` (SPEC §3.2–3.5: biscuits,
 * sealed task ids) or `codex-current` (CODEX-CURRENT.md: the AuthAPI, bearer registration,
 * unauthenticated signed task registration).
 */
export type RegistrationProfile = 'codex-0.122' | 'codex-current';
