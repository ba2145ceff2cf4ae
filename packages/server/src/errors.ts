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
  TJ_TAG_NOT_FOUND: { status: 404, message: '找不到该标签，或它不在您的可见范围内' },
  TJ_TAG_CODE_TAKEN: { status: 409, message: '该标签名已被您可见的上级或下级标签使用，请换一个名称' },
  TJ_TAG_NOT_EDITABLE: { status: 403, message: '只有标签所属单位的工作人员可以修改它' },
  TJ_TAG_NOT_MANUAL: { status: 400, message: '只有“人工标注”类标签可以手工标注；导入和规则标签随数据自动更新' },
  TJ_RULE_INVALID: { status: 400, message: '规则有误' },
  TJ_SELECTION_INVALID: { status: 400, message: '圈选条件有误' },
  TJ_SELECTION_TOO_LARGE: { status: 400, message: '一次至多批量标注 10000 人，请缩小圈选范围' },
  TJ_SAVED_SELECTION_NOT_FOUND: { status: 404, message: '找不到该已保存的圈选' },
  TJ_BAD_DATE: { status: 400, message: '日期不存在，应为 YYYY-MM-DD' },
  TJ_LEAD_NOT_FOUND: { status: 404, message: '在您的辖区内找不到这条线索（它可能已不再成立）' },
  TJ_LEAD_TRANSITION: { status: 400, message: '线索状态不能这样变更' },
  TJ_POLICY_NOT_FOUND: { status: 404, message: '政策包中没有这项政策' },
  TJ_OUTSIDE_PACK: { status: 400, message: '该日期不在政策包的适用期内' },
  TJ_LOCAL_POLICY_NOT_FOUND: { status: 404, message: '找不到该本地政策，或它不在您的可见范围内' },
  TJ_LOCAL_POLICY_CODE_TAKEN: { status: 409, message: '该政策代码已被参考政策包或其他本地政策使用，请换一个代码' },
  TJ_LOCAL_POLICY_NOT_EDITABLE: {
    status: 403,
    message: '只有政策所属单位的区级管理员或街镇工作人员可以修改、发布或撤回它',
  },
  TJ_LOCAL_POLICY_STATE: { status: 409, message: '该政策当前的状态不能这样操作' },
  TJ_FRAMEWORK_INVALID: { status: 400, message: '评估框架有误' },
  TJ_FRAMEWORK_NOT_FOUND: { status: 404, message: '没有这个版本的评估框架' },
  TJ_FRAMEWORK_CONFLICT: { status: 409, message: '该版本已发布，不能再修改；请新建草稿' },
  TJ_VISIT_ANSWER_INVALID: { status: 400, message: '入户问卷的回答不正确' },
  TJ_CROSS_ORIGIN: { status: 403, message: '拒绝来自其他网站的请求：请在听见工作台页面内操作' },
  TJ_BODY_TOO_LARGE: { status: 413, message: '请求体过大' },
  TJ_LOGIN_DELAYED: { status: 429, message: '登录失败次数过多，请稍后再试' },
  TJ_ACCOUNT_LOCKED: { status: 429, message: '该账号因多次登录失败已被锁定，请联系区级管理员解锁' },
  TJ_USER_NOT_FOUND: { status: 404, message: '在您的辖区内找不到该账号' },
  TJ_DB_BUSY: { status: 503, message: '数据库正忙（另一个导入正在写入），请稍后再试；已保存的数据不受影响' },
  TJ_LOCAL_POLICY_EVALUATION: { status: 400, message: '草案在当前登记数据上试算失败，未发布；请检查规则' },
  TJ_FRAMEWORK_EVALUATION: { status: 400, message: '评估框架在当前登记数据上预览失败，未发布；请检查各指标的判定条件' },
  TJ_AUDIT_TAMPERED: {
    status: 409,
    message: '审计日志自上一个检查点以来被改动，不能签名新的检查点；请运行 tingjian audit verify 查看',
  },
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
