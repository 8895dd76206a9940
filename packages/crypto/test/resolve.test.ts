import { describe, expect, it } from 'vitest';
import { fromProtocol } from '../src/index.js';
describe('x', () => { it('resolves protocol from source', () => { expect(fromProtocol).toBe(2); }); });
