/** Simplified Chinese: the default language of the interface. */
export const zhCN = {
  app: { name: '共识', tagline: '规划编制意见征求与整合平台' },
  nav: { plans: '规划', home: '首页', signOut: '退出登录', language: 'English' },
  signIn: {
    title: '登录',
    login: '账号',
    password: '密码',
    submit: '登录',
    required: '请输入{{field}}',
    failed: '登录失败：{{message}}',
  },
  changePassword: {
    title: '修改初始密码',
    current: '当前密码',
    next: '新密码',
    submit: '保存',
    hint: '首次登录须修改一次性密码。',
  },
  roles: {
    admin: '系统管理员',
    organizer: '编制团队',
    leader: '领导小组',
    liaison: '部门联络员',
    unit_head: '部门负责人',
    expert: '专家',
  },
  plans: { title: '规划列表', empty: '暂无规划', versions: '{{count}} 个版本', open: '打开' },
  common: { loading: '加载中…', error: '出错了：{{message}}', retry: '重试' },
};

export type Messages = typeof zhCN;
