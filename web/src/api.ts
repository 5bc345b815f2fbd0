/**
 * The one way the web app talks to the server: a fetch wrapper that adds the bearer token,
 * parses RFC 9457 problem+json errors into ApiError, reports them through one notifier
 * (an antd message, wired in App.tsx) and sends the user to the login page on 401.
 */
import type { FieldProblem, Problem } from './types.ts';

export const TOKEN_KEY = 'suanli.token';
export const LANG_KEY = 'suanli.lang';
const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[];

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.detail = problem.detail ?? problem.title;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

interface ApiHandlers {
  onUnauthorized: (error: ApiError) => void;
  onError: (error: ApiError) => void;
}

const handlers: ApiHandlers = { onUnauthorized: () => {}, onError: () => {} };

/** Called once by the app shell: how to tell the user about an error, and where to go on 401. */
export function configureApi(next: Partial<ApiHandlers>): void {
  Object.assign(handlers, next);
}

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export type QueryValue = string | number | boolean | null | undefined;

/** Query string from a record, leaving out empty values; keys keep their order. */
export function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** The caller shows the error itself (e.g. maps field errors onto a form). */
  quiet?: boolean;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

function currentLanguage(): string {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLanguage(), ...options.headers };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const url = `${API_BASE}${path}${toQueryString(options.query)}`;
  let response: Response;
  try {
    response = await fetch(url, { method: options.method ?? 'GET', headers, body, signal: options.signal, credentials: 'same-origin' });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    const error = new ApiError(0, { code: 'NETWORK' });
    if (!options.quiet) handlers.onError(error);
    throw error;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, await readProblem(response));
    if (response.status === 401 && !path.startsWith('/auth/login')) handlers.onUnauthorized(error);
    else if (!options.quiet) handlers.onError(error);
    throw error;
  }
  return response;
}

async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as Problem;
  } catch {
    // not JSON: fall through to a problem built from the status line
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 300) || undefined };
}

async function readBody<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** JSON request; resolves with the parsed body, rejects with ApiError (already shown unless `quiet`). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  return readBody<T>(response);
}

/** Like `api`, and also returns the ETag (facility version) for a later `If-Match`. */
export async function apiWithEtag<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const response = await send(path, options);
  return { data: await readBody<T>(response), etag: response.headers.get('ETag') };
}

/** File name from a Content-Disposition header (RFC 6266, with RFC 5987 `filename*`). */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // malformed escape: try the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || fallback;
}

/** Fetch a file with the bearer header and hand it to the browser as a download. */
export async function downloadFile(path: string, query: Record<string, QueryValue>, fallbackName: string): Promise<string> {
  const response = await send(path, { query, headers: { Accept: '*/*' } });
  const blob = await response.blob();
  const name = fileNameFromDisposition(response.headers.get('Content-Disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** `"3"` → 3; weak or missing tags give null. */
export function versionFromEtag(etag: string | null): number | null {
  if (!etag) return null;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim());
  return match?.[1] ? Number(match[1]) : null;
}
