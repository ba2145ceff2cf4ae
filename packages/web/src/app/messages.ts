/** Strings of the app shell, the login page and shared components. */
import { defineMessages } from './i18n.ts';

export const shellMessages = defineMessages({
  appName: { zh: '听见', en: 'Tingjian' },
  appTagline: { zh: '政策找人 · 精准帮扶', en: 'Policy finds people' },
  skipToContent: { zh: '跳到主要内容', en: 'Skip to main content' },
  mainMenu: { zh: '主菜单', en: 'Main menu' },
  areaNavigator: { zh: '辖区导航', en: 'Areas' },
  areaFilter: { zh: '筛选街镇、居委会', en: 'Filter streets, committees' },
  areaNoMatch: { zh: '没有匹配的单位', en: 'No matching unit' },
  currentArea: { zh: '当前范围', en: 'Showing' },
  resetArea: { zh: '回到本辖区', en: 'Whole area' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  signedOut: { zh: '已退出登录', en: 'Signed out' },
  sessionExpired: { zh: '登录已过期，请重新登录', en: 'Your session has ended. Please sign in again.' },
  language: { zh: '界面语言', en: 'Language' },
  loading: { zh: '加载中…', en: 'Loading…' },
  retry: { zh: '重试', en: 'Retry' },
  pageNotFound: { zh: '没有这个页面', en: 'Page not found' },
  pageNotFoundHint: {
    zh: '地址可能有误，或您的角色无权打开此页面。',
    en: 'The address may be wrong, or your role may not open this page.',
  },
  backHome: { zh: '返回工作台', en: 'Back to the workbench' },
  serverUnreachable: { zh: '无法连接服务器', en: 'Cannot reach the server' },
  orgTreeFailed: { zh: '辖区树加载失败', en: 'Could not load the areas' },
  // login
  loginTitle: { zh: '登录听见', en: 'Sign in to Tingjian' },
  loginSubtitle: { zh: '社区实有人口与精准救助', en: 'Community registry and targeted assistance' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  usernameRequired: { zh: '请输入用户名', en: 'Enter your username' },
  passwordRequired: { zh: '请输入密码', en: 'Enter your password' },
  signIn: { zh: '登录', en: 'Sign in' },
  loginFailed: { zh: '登录失败', en: 'Sign-in failed' },
  loginFooter: { zh: '所有查询与修改均记入审计日志', en: 'Every read of personal data and every change is audited' },
  screenerLink: { zh: '居民自助测算：看看可以申请哪些救助', en: 'Residents: check what help you may apply for' },
});
