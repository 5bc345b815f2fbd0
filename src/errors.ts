/**
 * Transport-neutral errors with stable codes. They know nothing of HTTP beyond a suggested
 * status; one handler in app.ts maps them to RFC 9457 problem+json.
 */
export interface FieldError {
  /** JSON pointer into the request body (or `query.x`, `row 12 column racksInUse` for imports). */
  path: string;
  message: string;
  /** A stable code for this problem, e.g. UNKNOWN_REGION. */
  code?: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { errors?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.errors = options.errors;
    this.extra = options.extra;
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new AppError(400, code, message, { errors });
/** Semantic validation failed. With one problem, its own code (e.g. UNKNOWN_REGION) becomes the error's code. */
export const validationFailed = (message: string, errors: FieldError[]) =>
  new AppError(422, errors.length === 1 && errors[0].code ? errors[0].code : 'VALIDATION_FAILED', errors.length === 1 ? `${message} ${capitalise(errors[0].message)}.` : message, { errors });

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const unauthenticated = (message = 'Sign in first: send `Authorization: Bearer <token>` from POST /api/v1/auth/login.') =>
  new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (what: string, id: string) =>
  new AppError(404, 'NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist (or is not visible to you).`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const preconditionFailed = (message: string) => new AppError(412, 'PRECONDITION_FAILED', message);

/** The version in an ETag or If-Match value (`"3"`, `W/"3"`). */
export const parseEtag = (value: string): number => Number(value.replace(/^W\//, '').replaceAll('"', '').trim());
/** The ETag of a versioned object. */
export const etag = (version: number) => `"${version}"`;

/**
 * Optimistic concurrency for edits: If-Match must name the version the client edited. 428 when it
 * is missing, 412 when the object changed since (`what` names it in the message: "offer", "rule").
 */
export function checkIfMatch(ifMatch: string | undefined, version: number, what: string): void {
  if (ifMatch === undefined) throw new AppError(428, 'PRECONDITION_REQUIRED', `Send If-Match with the ${what} version you edited (currently "${version}").`);
  if (parseEtag(ifMatch) !== version) {
    throw preconditionFailed(`The ${what} changed since you read it (you sent ${ifMatch}, it is now "${version}"): reload it and apply your edit again.`);
  }
}
