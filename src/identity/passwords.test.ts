import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const stored = await hashPassword('Correct-Horse-9');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(stored, 'Correct-Horse-9')).toBe(true);
    expect(await verifyPassword(stored, 'correct-horse-9')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });

  it('applies the minimum policy', () => {
    expect(passwordProblems('Correct-Horse-9', 'alice')).toEqual([]);
    expect(passwordProblems('short1A')).toContain('use at least 10 characters');
    expect(passwordProblems('alllowercaseletters')).toHaveLength(1);
    expect(passwordProblems('Alice-Secret-1', 'alice')).toContain('do not include the username');
  });
});
