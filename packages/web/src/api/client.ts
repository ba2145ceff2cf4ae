/**
 * The one way the web app talks to the server. Cookies go with every request (`same-origin`);
 * failures become an ApiError carrying the server's `{error: {code, message}}`, so pages show
 * the server's message, which says what to do next.
 */
import { buildQuery, type QueryParams } from './query.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Status 0: the request never got an answer (server down, network gone). */
export const NETWORK_ERROR = 'TJ_NETWORK';

/** Builds the error for a failed response from its status and body text. */
export function errorFromResponse(status: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const e = parsed.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string')
      return new ApiError(status, e.code, e.message, e.details ?? null);
  } catch {
    // not JSON: a proxy's or a gateway's page
  }
  if (status === 404) return new ApiError(status, 'TJ_NOT_FOUND', '找不到该资源（接口不存在或尚未上线）');
  if (status >= 500) return new ApiError(status, 'TJ_INTERNAL', `服务器暂时无法响应（HTTP ${status}），请稍后重试`);
  return new ApiError(status, 'TJ_HTTP', `请求失败（HTTP ${status}）`);
}

/** The message to show for anything thrown by a request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called when a request answers 401 (the session expired or was ended elsewhere). */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function notifyUnauthenticated(path: string): void {
  // A failed login is a 401 too; it is answered on the login form, not by a redirect.
  if (path === '/api/session') return;
  for (const l of unauthenticatedListeners) l();
}

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
}

async function request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const url = path + (options.query ? buildQuery(options.query) : '');
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers:
        options.body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, NETWORK_ERROR, '无法连接服务器，请检查网络后重试');
  }
  if (!response.ok) {
    if (response.status === 401) notifyUnauthenticated(path);
    throw errorFromResponse(response.status, await response.text());
  }
  return response;
}

export const api = {
  async get<T>(path: string, query?: QueryParams, signal?: AbortSignal): Promise<T> {
    return (await request('GET', path, { query, signal })).json() as Promise<T>;
  },
  async post<T>(path: string, body: unknown): Promise<T> {
    return (await request('POST', path, { body })).json() as Promise<T>;
  },
  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await request('PATCH', path, { body })).json() as Promise<T>;
  },
  async delete<T>(path: string): Promise<T> {
    return (await request('DELETE', path)).json() as Promise<T>;
  },
  /** A file download (e.g. an .xlsx export): the body as a Blob and the server's file name. */
  async download(path: string, query?: QueryParams): Promise<{ blob: Blob; filename: string | null }> {
    const response = await request('GET', path, { query });
    const disposition = response.headers.get('content-disposition') ?? '';
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    return { blob: await response.blob(), filename: match?.[1] ? decodeURIComponent(match[1]) : null };
  },
  /**
   * Uploads one file as multipart field `file`. XMLHttpRequest rather than fetch: only it reports
   * upload progress. `onProgress` gets the fraction sent (0..1).
   */
  upload<T>(
    path: string,
    file: Blob,
    filename: string,
    onProgress: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.withCredentials = false; // same-origin requests carry cookies anyway
      xhr.setRequestHeader('accept', 'application/json');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
      };
      xhr.upload.onload = () => onProgress(1);
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            resolve(JSON.parse(xhr.responseText) as T);
          } catch {
            reject(errorFromResponse(500, xhr.responseText));
          }
          return;
        }
        if (xhr.status === 401) notifyUnauthenticated(path);
        reject(errorFromResponse(xhr.status, xhr.responseText));
      };
      xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR, '上传中断：无法连接服务器'));
      xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'));
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      const form = new FormData();
      form.append('file', file, filename);
      xhr.send(form);
    });
  },
};
