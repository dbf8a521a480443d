/** The dashboard's only way to the cloud: the public JSON API with the user's token. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  readonly token: string;
  get(path: string): Promise<unknown>;
  send(method: 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<unknown>;
  /** Uploads text (e.g. CSV) reporting progress from 0 to 1. */
  upload(path: string, text: string, contentType: string, progress: (fraction: number) => void): Promise<unknown>;
  /** Posts a file (a photo) as the raw body with its own content type. */
  sendFile(path: string, file: Blob, contentType: string): Promise<unknown>;
  /** An image or file behind the token, as a blob (an <img> cannot send the token itself). */
  blob(path: string): Promise<Blob>;
  /** A file the API serves (CSV report, statement), saved under the name it gives. */
  download(path: string): Promise<void>;
}

// The server's own message, never the raw status and path: people read this.
async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { message?: unknown };
  return new ApiError(res.status, typeof body.message === 'string' ? body.message : res.statusText || `error ${res.status}`);
}

export async function login(email: string, password: string): Promise<{ token: string }> {
  const res = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw await failure(res);
  const body = (await res.json()) as { token?: string };
  if (!body.token) throw new ApiError(res.status, 'no token in the answer');
  return { token: body.token };
}

/** `onUnauthorized` gets the server's reason (token expired, account disabled, ...) when it gave one. */
export function createApi(token: string, onUnauthorized: (reason: string | undefined) => void): Api {
  const authorization = `Bearer ${token}`;
  const check = async (res: Response): Promise<Response> => {
    if (res.ok) return res;
    const error = await failure(res);
    if (res.status === 401) onUnauthorized(error.message);
    throw error;
  };
  const json = async (res: Response): Promise<unknown> => {
    const ok = await check(res);
    return ok.status === 204 ? {} : ok.json();
  };
  return {
    token,
    get: async (path) => json(await fetch(path, { headers: { authorization } })),
    send: async (method, path, body) =>
      json(await fetch(path, { method, headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) })),
    sendFile: async (path, file, contentType) => json(await fetch(path, { method: 'POST', headers: { authorization, 'content-type': contentType }, body: file })),
    blob: async (path) => (await check(await fetch(path, { headers: { authorization } }))).blob(),
    upload: (path, text, contentType, progress) =>
      new Promise((resolve, reject) => {
        // fetch cannot report upload progress; XMLHttpRequest can.
        const xhr = new XMLHttpRequest();
        xhr.open('POST', path);
        xhr.setRequestHeader('authorization', authorization);
        xhr.setRequestHeader('content-type', contentType);
        xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
        xhr.onload = () => {
          progress(1);
          const body = (() => {
            try {
              return JSON.parse(xhr.responseText) as { message?: string };
            } catch {
              return {};
            }
          })();
          if (xhr.status >= 200 && xhr.status < 300) resolve(body);
          else reject(new ApiError(xhr.status, body.message ?? `error ${xhr.status}`));
        };
        xhr.onerror = () => reject(new ApiError(0, 'network error'));
        xhr.send(text);
      }),
    download: async (path) => {
      const res = await check(await fetch(path, { headers: { authorization } }));
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
    },
  };
}
