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
}

export async function login(email: string, password: string): Promise<{ token: string; user: Record<string, unknown> }> {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { token?: string; user?: Record<string, unknown>; message?: string };
  if (!res.ok || !body.token) throw new ApiError(res.status, body.message ?? `login failed (${res.status})`);
  return { token: body.token, user: body.user ?? {} };
}

/** `onUnauthorized` gets the server's reason (token expired, account disabled, ...) when it gave one. */
export function createApi(token: string, onUnauthorized: (reason: string | undefined) => void): Api {
  return {
    token,
    async get(path) {
      const res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
      if (res.status === 401) {
        const body = (await res.json().catch(() => ({}))) as { message?: unknown };
        onUnauthorized(typeof body.message === 'string' ? body.message : undefined);
      }
      if (!res.ok) throw new ApiError(res.status, `${path}: HTTP ${res.status}`);
      return res.json() as Promise<unknown>;
    },
  };
}
