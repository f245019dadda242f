import type { AppError, ErrorCode } from '../../shared/contract';

/** An error a handler throws on purpose; the router turns it into `{ok: false, error}`. */
export class ServiceError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }

  toJSON(): AppError {
    return { code: this.code, message: this.message };
  }
}

export function toAppError(error: unknown): AppError {
  if (error instanceof ServiceError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Something went wrong inside Edgewise: ${message}` };
}
