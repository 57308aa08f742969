/** Every error a client can see: a snake_case code and the one HTTP status it maps to. */
const STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_disabled: 401,
  invalid_secret: 401,
  invalid_test_token: 401,
  forbidden: 403,
  not_allowed: 403,
  not_a_member: 403,
  revoke_window_expired: 403,
  receipts_disabled: 403,
  cross_origin: 403,
  not_found: 404,
  message_not_found: 404,
  channel_not_found: 404,
  user_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  direct_channel_fixed: 409,
  user_exists: 409,
  length_required: 411,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  gateway_error: 502,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof STATUS;

/** The error table by status, for the OpenAPI document (lib/http/openapi.ts). */
export const errorCodesByStatus = (): Map<number, ErrorCode[]> =>
  Object.entries(STATUS).reduce(
    (m, [code, status]) => m.set(status, [...(m.get(status) ?? []), code as ErrorCode]),
    new Map<number, ErrorCode[]>(),
  );

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = STATUS[code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
