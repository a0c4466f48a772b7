/** Messages of the metrics pages: Simplified Chinese, and English with the same keys. */
export const zhCN = {
  title: '',
};

export const en: typeof zhCN = {
  title: '',
};
