import { createHash, timingSafeEqual } from 'node:crypto';

/** Checks a bearer token against the configured one in constant time; false when none is configured. */
export function createTokenCheck(expected: string | undefined): (authorization: string | undefined) => boolean {
  const want = expected === undefined ? undefined : createHash('sha256').update(expected).digest();
  return (authorization) => {
    if (want === undefined || authorization === undefined) return false;
    const m = /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization);
    if (!m) return false;
    return timingSafeEqual(createHash('sha256').update(m[1] ?? '').digest(), want);
  };
}
