import { describe, expect, it } from 'vitest';
import { fillPath, listOperations, type OpenApiDocument, sampleOf } from './openapi.ts';

describe('reading the OpenAPI document', () => {
  const doc: OpenApiDocument = {
    security: [{ bearer: [] }],
    components: { schemas: { Thing: { type: 'object', required: ['name', 'region'], properties: { name: { type: 'string', minLength: 3 }, region: { type: 'string', pattern: '^\\d{6}$' }, note: { type: 'string' } } } } },
    paths: {
      '/a/{id}': {
        get: { security: [], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } }] },
        put: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
      },
    },
  };

  it('lists operations with their parameters, bodies ($refs resolved) and whether they are public', () => {
    const [get, put] = listOperations(doc);
    expect(get).toMatchObject({ key: 'GET /a/{id}', declaredPublic: true, pathParams: [{ name: 'id', required: true }], query: [{ name: 'limit', required: false }] });
    expect(put.declaredPublic).toBe(false);
    expect(put.bodies[0].schema.required).toEqual(['name', 'region']);
  });

  it('builds a minimal valid value: required properties, minimum lengths and numbers, region codes', () => {
    const [, put] = listOperations(doc);
    expect(sampleOf(put.bodies[0].schema)).toEqual({ name: 'aaa', region: '140213' });
    expect(sampleOf({ type: 'integer', minimum: 1 })).toBe(1);
    expect(sampleOf({ anyOf: [{ type: 'null' }, { const: 'x' }] })).toBe('x');
    expect(sampleOf({ type: 'array', minItems: 2, items: { type: 'boolean' } })).toEqual([false, false]);
  });

  it('fills path templates with encoded values', () => {
    expect(fillPath('/a/{id}/b/{x}', { id: 'fac 1', x: '山西' })).toBe('/a/fac%201/b/%E5%B1%B1%E8%A5%BF');
  });
});
