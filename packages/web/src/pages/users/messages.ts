import { defineMessages } from '../../app/i18n.ts';

export const userMessages = defineMessages({
  title: { zh: '用户与角色', en: 'Users and roles' },
  subtitle: { zh: '本辖区内的账号。每个账号绑定一个与其角色同级的单位，只能看到该单位以下的数据。', en: 'Accounts in your area. Each is bound to a unit of its role\u2019s level and sees only the data under it.' },
  newUser: { zh: '新建账号', en: 'New account' },
  username: { zh: '用户名', en: 'Username' },
  usernameRule: { zh: '2–64 位字母、数字或 . _ -', en: '2–64 letters, digits or . _ -' },
  displayName: { zh: '姓名', en: 'Display name' },
  displayNameRequired: { zh: '请输入姓名', en: 'Enter a display name' },
  password: { zh: '初始密码', en: 'Initial password' },
  passwordRule: { zh: '至少 8 位', en: 'At least 8 characters' },
  role: { zh: '角色', en: 'Role' },
  roleRequired: { zh: '请选择角色', en: 'Choose a role' },
  org: { zh: '所属单位', en: 'Unit' },
  orgRequired: { zh: '请选择与角色同级的单位', en: 'Choose a unit of the role\u2019s level' },
  orgHint: { zh: '{role}须绑定到{level}', en: 'A {role} is bound to a {level}' },
  create: { zh: '创建', en: 'Create' },
  cancel: { zh: '取消', en: 'Cancel' },
  created: { zh: '已创建账号 {username}', en: 'Created account {username}' },
  createFailed: { zh: '创建失败', en: 'Could not create the account' },
  loadFailed: { zh: '账号列表加载失败', en: 'Could not load the accounts' },
  noUsers: { zh: '还没有账号', en: 'No accounts yet' },
});
