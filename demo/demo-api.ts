/**
 * The cloud's HTTP API as a demo user sees it: logs in once per user and sends JSON. Used
 * by the demo's own paper scenarios (prices, receipts) and by `npm run demo`.
 */
export interface ApiReply {
  status: number;
  json: Record<string, unknown>;
}

export interface DemoApi {
  call(email: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply>;
}

export class DemoApiError extends Error {
  override readonly name = 'DemoApiError';
}

export function createDemoApi(baseUrl: string, password: string): DemoApi {
  const tokens = new Map<string, string>();
  const send = async (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown): Promise<ApiReply> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, json };
  };
  const tokenOf = async (email: string): Promise<string> => {
    const known = tokens.get(email);
    if (known !== undefined) return known;
    const reply = await send('POST', '/api/v1/auth/login', {}, { email, password });
    const token = reply.json.token;
    if (reply.status !== 200 || typeof token !== 'string') throw new DemoApiError(`login as ${email} refused: HTTP ${reply.status} ${String(reply.json.message ?? '')}`);
    tokens.set(email, token);
    return token;
  };
  return {
    async call(email, method, path, body) {
      const reply = await send(method, path, { authorization: `Bearer ${await tokenOf(email)}` }, body);
      if (reply.status !== 401) return reply;
      // A token can end (TTL, restart of the cloud): log in again once.
      tokens.delete(email);
      return send(method, path, { authorization: `Bearer ${await tokenOf(email)}` }, body);
    },
  };
}
