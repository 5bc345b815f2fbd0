import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTORS, inconsistentRows, MATRIX, matrixKey, type MatrixRow } from './matrix.ts';
import { withMatrix } from './matrix-doc.ts';

describe('authorisation matrix', () => {
  it('names each route once, with one status per actor', () => {
    const keys = MATRIX.map(matrixKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of MATRIX) expect(Object.keys(row.expect)).toEqual([...ACTORS]);
  });

  it('allows exactly the actors its rule names on every row', () => {
    expect(inconsistentRows()).toEqual([]);
  });

  it('reports a row whose statuses contradict its rule', () => {
    const row: MatrixRow = { method: 'GET', path: '/x', rule: 'admin', expect: Object.fromEntries(ACTORS.map((a) => [a, 200])) as MatrixRow['expect'] };
    expect(inconsistentRows([row])).toHaveLength(ACTORS.length - 1);
  });

  it('anonymous callers are never let through anything but public routes', () => {
    for (const row of MATRIX) if (row.rule !== 'public') expect(row.expect.anonymous, matrixKey(row)).toBe(401);
  });

  it('is rendered in docs/security.md (run `npx node src/security/matrix-doc.ts` after changing it)', () => {
    const document = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    expect(withMatrix(document)).toBe(document);
  });
});
