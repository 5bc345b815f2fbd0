/**
 * Reading the OpenAPI document as data: the operations it lists and a minimal valid value for a
 * schema. Used by the authorisation walk and the fuzz test, so both cover whatever routes the
 * document has without naming them. Pure: no I/O.
 */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
  security?: unknown[];
}

interface OperationObject {
  parameters?: { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, e.g. /api/v1/facilities/{id}. */
  path: string;
  /** `GET /api/v1/facilities/{id}`: the key of the authorisation matrix. */
  key: string;
  pathParams: Parameter[];
  query: Parameter[];
  headers: Parameter[];
  /** Media types the body may have, each with its schema ($refs resolved); empty when the route takes no body. */
  bodies: { contentType: string; schema: JsonSchema }[];
  /** True when the document says no credentials are needed (`security: []`). */
  declaredPublic: boolean;
}

export interface Parameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

export function listOperations(doc: OpenApiDocument): Operation[] {
  const resolve = resolver(doc);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = (where: string) =>
        (op.parameters ?? []).filter((p) => p.in === where).map((p) => ({ name: p.name, required: !!p.required, schema: resolve(p.schema ?? {}) }));
      const security = op.security ?? doc.security ?? [];
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        key: operationKey(method, path),
        pathParams: params('path'),
        query: params('query'),
        headers: params('header'),
        bodies: Object.entries(op.requestBody?.content ?? {}).map(([contentType, media]) => ({ contentType, schema: resolve(media.schema ?? {}) })),
        declaredPublic: security.length === 0,
      });
    }
  }
  return operations;
}

/** Inlines `#/components/schemas/X` references (the document has no recursive schemas). */
function resolver(doc: OpenApiDocument) {
  const schemas = doc.components?.schemas ?? {};
  const resolve = (schema: unknown, depth = 0): JsonSchema => {
    if (depth > 20 || schema === null || typeof schema !== 'object') return schema as JsonSchema;
    if (Array.isArray(schema)) return schema.map((s) => resolve(s, depth + 1)) as unknown as JsonSchema;
    const ref = (schema as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      return resolve(schemas[ref.slice('#/components/schemas/'.length)] ?? {}, depth + 1);
    }
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(schema)) out[key] = typeof value === 'object' ? resolve(value, depth + 1) : value;
    return out;
  };
  return (schema: JsonSchema) => resolve(schema);
}

const typesOf = (schema: JsonSchema): string[] => {
  const type = schema.type;
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
};

/**
 * A minimal value that satisfies the schema: required properties only, the first enum or const, the
 * smallest allowed number, a string of the minimum length (or a six-digit code for the region pattern).
 */
export function sampleOf(schema: JsonSchema | undefined): unknown {
  if (!schema || typeof schema !== 'object') return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('default' in schema) return schema.default;
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) return sampleOf(alternatives.find((s) => !typesOf(s).includes('null')) ?? alternatives[0]);
  const types = typesOf(schema);
  const type = types.find((t) => t !== 'null') ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      for (const name of (schema.required ?? []) as string[]) out[name] = sampleOf(properties[name]);
      return out;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return Array.from({ length: count }, () => sampleOf(schema.items as JsonSchema));
    }
    case 'integer':
    case 'number': {
      const minimum = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 0;
      return type === 'integer' ? Math.ceil(minimum) : minimum;
    }
    case 'boolean':
      return false;
    case 'string': {
      if (schema.pattern === '^\\d{6}$') return '140213';
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      const length = typeof schema.minLength === 'number' ? Math.max(1, schema.minLength) : 1;
      return 'a'.repeat(length);
    }
    default:
      return null;
  }
}

/** Fills an OpenAPI path template: /x/{id} with { id: 'fac_1' } → /x/fac_1 (values URL-encoded). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
}
