/**
 * One catalogue of errors with stable codes. Messages say what happened and what to do next;
 * clients key on `code`, never on the message.
 */
export const ERRORS = {
  TJ_VALIDATION: { status: 400, message: '请求参数不正确' },
  TJ_UNAUTHENTICATED: { status: 401, message: '请先登录' },
  TJ_BAD_CREDENTIALS: { status: 401, message: '用户名或密码不正确' },
  TJ_FORBIDDEN: { status: 403, message: '您的角色无权执行此操作' },
  TJ_RESIDENT_NOT_FOUND: { status: 404, message: '在您的辖区内找不到该居民' },
  TJ_HOUSEHOLD_NOT_FOUND: { status: 404, message: '在您的辖区内找不到该家庭' },
  TJ_ORG_NOT_FOUND: { status: 404, message: '找不到该行政区划，或它不在您的辖区内' },
  TJ_NOT_FOUND: { status: 404, message: '找不到该资源' },
  TJ_IMPORT_BAD_FILE: { status: 400, message: '导入文件无法读取' },
  TJ_IMPORT_NO_FILE: { status: 400, message: '请上传 .xlsx 工作簿或 CSV 快照 (.zip / .csv)' },
  TJ_RATE_LIMITED: { status: 429, message: '尝试次数过多，请稍后再试' },
  TJ_CONFIG: { status: 500, message: '配置无效' },
  TJ_INTERNAL: { status: 500, message: '服务器内部错误，请稍后重试或联系管理员' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}
