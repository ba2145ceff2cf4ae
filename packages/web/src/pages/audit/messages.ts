import { defineMessages } from '../../app/i18n.ts';

export const auditMessages = defineMessages({
  title: { zh: '审计日志', en: 'Audit log' },
  subtitle: {
    zh: '本辖区账号的操作，以及关于本辖区居民和家庭的操作。日志以哈希链保存并定期签名，改动或删除都会被发现；每次查询本身也记入审计。',
    en: 'What the accounts of your area did, and what was done about its residents and households. The log is a signed hash chain: edits and deletions show; every look at it is logged too.',
  },
  verify: { zh: '校验完整性', en: 'Verify integrity' },
  verifyFailed: { zh: '校验失败', en: 'Could not verify' },
  intact: { zh: '审计日志完整', en: 'The audit log is intact' },
  broken: { zh: '审计日志不完整', en: 'The audit log is not intact' },
  moreProblems: {
    zh: '另有 {n} 处问题，请运行 tingjian audit verify 查看全部',
    en: '{n} more problems: run tingjian audit verify for all',
  },
  personLabel: { zh: '按身份证号查看谁看过此人', en: 'Who looked at this person (by ID number)' },
  personButton: { zh: '查看', en: 'Show' },
  personInvalid: {
    zh: '身份证号应为 18 位（最后一位可为 X）',
    en: 'An ID number has 18 characters (the last may be X)',
  },
  personShowing: { zh: '谁看过身份证号 {id} 的记录：共 {n} 条', en: 'Who looked at {id}: {n} events' },
  personHint: {
    zh: '包括此人的360视图、显示了此人的列表、此人所在家庭的查看，以及对此人的修改。',
    en: 'Their 360 view, lists that showed them, views of their household, and changes about them.',
  },
  clearPerson: { zh: '清除', en: 'Clear' },
  actor: { zh: '操作人', en: 'Actor' },
  actorPlaceholder: { zh: '用户名', en: 'Username' },
  action: { zh: '操作', en: 'Action' },
  target: { zh: '对象', en: 'Target' },
  targetPlaceholder: { zh: '如 resident:身份证号', en: 'e.g. resident:<id>' },
  dateFrom: { zh: '开始日期', en: 'From' },
  dateTo: { zh: '结束日期', en: 'To' },
  clearFilters: { zh: '清除筛选', en: 'Clear filters' },
  at: { zh: '时间', en: 'Time' },
  detail: { zh: '详情', en: 'Detail' },
  system: { zh: '系统（命令行或启动任务）', en: 'System (command line or start-up)' },
  noAccount: { zh: '非账号', en: 'not an account' },
  total: { zh: '共 {n} 条', en: '{n} events' },
  empty: { zh: '没有符合条件的审计记录', en: 'No audit events match' },
  loadFailed: { zh: '审计日志加载失败', en: 'Could not load the audit log' },
});
