import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors.ts';

/** RFC 9457 problem details with a stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `https://suanli.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extra,
  };
}

/** Fastify's own client errors (bad JSON, wrong content type, too large) mapped to stable codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_MAX_PARAM_LENGTH: 'PATH_PARAMETER_TOO_LONG',
  FST_ERR_BAD_URL: 'BAD_URL',
};

/** The SQLSTATE of a database error, looking through the wrappers (Drizzle's DrizzleQueryError keeps the driver's error as cause). */
function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && 'severity' in current) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0];
  if (error instanceof AppError) {
    return problem(error.status, error.code, error.message, { instance, requestId: request.id, ...(error.errors ? { errors: error.errors } : {}), ...(error.extra ?? {}) });
  }
  const fastifyError = error as FastifyError & { validation?: { instancePath: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string };
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? 'body';
    const errors = fastifyError.validation.map((v) => {
      const missing = v.params && 'missingProperty' in v.params ? `/${String(v.params.missingProperty)}` : '';
      const extra = v.params && 'additionalProperty' in v.params ? `/${String(v.params.additionalProperty)}` : '';
      return { path: `${context === 'body' ? '' : `${context}:`}${v.instancePath}${missing}${extra}` || '/', message: v.message ?? 'is invalid' };
    });
    const first = errors[0];
    return problem(400, 'INVALID_REQUEST', `The request ${context} is not valid: ${first.path} ${first.message}. See GET /api/v1/openapi.json for the expected shape.`, { instance, requestId: request.id, errors });
  }
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problem(400, 'MALFORMED_JSON', 'The body is not valid JSON: check quotes, commas and brackets.', { instance, requestId: request.id });
  }
  if (sqlStateOf(error)?.startsWith('22')) {
    // A data exception (value out of range, malformed text or date): the input's fault, not ours.
    // Logged all the same: a route whose schema let such a value through deserves a tighter schema.
    request.log.warn({ err: error }, 'the database refused a value from the request');
    return problem(400, 'INVALID_VALUE', 'A value in the request is out of range or malformed for storage (a number too large, a date that does not exist, text with invalid characters): correct it and retry.', { instance, requestId: request.id });
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const code = FASTIFY_CODES[fastifyError.code] ?? (status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST');
    return problem(status, code, fastifyError.message, { instance, requestId: request.id });
  }
  return problem(500, 'INTERNAL', 'Something went wrong on our side; the request id identifies it in the logs.', { instance, requestId: request.id });
}

export function sendProblem(reply: FastifyReply, body: Problem) {
  return reply.code(body.status).type('application/problem+json').send(body);
}
