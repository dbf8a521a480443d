/**
 * The cloud's catalogue of domain errors. Domain code throws these; only the HTTP layer
 * turns them into `{statusCode, error, message}` responses (PROTOCOL.md, Cloud HTTP API).
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'limit_exceeded'
  | 'rate_limited'
  | 'unavailable';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_exceeded: 422,
  rate_limited: 429,
  unavailable: 503,
};

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.statusCode = STATUS[code];
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new AppError('bad_request', message, details);
export const unauthorized = (message = 'authentication required') => new AppError('unauthorized', message);
export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError('conflict', message, details);
export const limitExceeded = (message: string, details?: Record<string, unknown>) =>
  new AppError('limit_exceeded', message, details);
