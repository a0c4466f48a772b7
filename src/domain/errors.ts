/**
 * The one error type of Concord. Services, importers and domain rules throw it; the HTTP error handler
 * maps `status` to the response and the CLI prints `message` and exits non-zero.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  /** Well-formed input that breaks a rule of the domain (a period too short, a clause out of scope). */
  | 'rule_violated'
  | 'unauthenticated'
  | 'session_expired'
  | 'forbidden'
  | 'csrf_failed'
  | 'password_change_required'
  | 'not_found'
  | 'conflict'
  | 'account_locked'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_type'
  | 'invalid_document'
  | 'empty_document'
  | 'invalid_csv'
  /** A service Concord relies on (the optional language model) is not configured, down or too slow. */
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  rule_violated: 422,
  unauthenticated: 401,
  session_expired: 401,
  forbidden: 403,
  csrf_failed: 403,
  password_change_required: 403,
  not_found: 404,
  conflict: 409,
  account_locked: 423,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_type: 415,
  invalid_document: 422,
  empty_document: 422,
  invalid_csv: 422,
  unavailable: 503,
  internal: 500,
};

export type ErrorDetails = Record<string, unknown> | Record<string, unknown>[] | undefined;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
