/** Messages of the version comparison page: Simplified Chinese, and English with the same keys. */
export const zhCN = {
  title: '版本对照',
  open: '版本对照',
  previous: '原版本',
  next: '新版本',
  pickPrevious: '选择原版本',
  pickNext: '选择新版本',
  noPrevious: '这是第一个版本，没有可对照的早期版本。',
  sameVersion: '请选择两个不同的版本。',
  show: '显示',
  summary:
    '共 {{total}} 条：修改 {{changed}}，新增 {{added}}，删除 {{removed}}，仅编号变化 {{renumbered}}，未变 {{unchanged}}',
  empty: '所选类别下没有条款',
  renumbered: '{{from}} → {{to}}',
  moved: '位置调整',
  absent: '（无）',
  back: '返回规划',
  status: {
    unchanged: '未变',
    changed: '修改',
    renumbered: '仅编号变化',
    added: '新增',
    removed: '删除',
  },
  legend: '删除的文字加删除线，新增的文字加下划线。',
};

export const en: typeof zhCN = {
  title: 'Compare versions',
  open: 'Compare versions',
  previous: 'Earlier version',
  next: 'Later version',
  pickPrevious: 'Earlier version to compare',
  pickNext: 'Later version to compare',
  noPrevious: 'This is the first version: there is no earlier version to compare with.',
  sameVersion: 'Choose two different versions.',
  show: 'Show',
  summary:
    '{{total}} clauses: {{changed}} changed, {{added}} added, {{removed}} removed, {{renumbered}} renumbered, {{unchanged}} unchanged',
  empty: 'No clauses in the chosen categories',
  renumbered: '{{from}} → {{to}}',
  moved: 'Moved',
  absent: '(none)',
  back: 'Back to the plan',
  status: {
    unchanged: 'Unchanged',
    changed: 'Changed',
    renumbered: 'Renumbered',
    added: 'Added',
    removed: 'Removed',
  },
  legend: 'Deleted text is struck through; inserted text is underlined.',
};
