/** Messages of the admin pages: Simplified Chinese, and English with the same keys. */
export const zhCN = {
  title: '',
};

export const en: typeof zhCN = {
  title: '',
};
