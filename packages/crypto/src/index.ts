import { placeholder } from '@agent-identity/protocol';
export const fromProtocol = placeholder + 1;
