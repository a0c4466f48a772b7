import type { Locale } from 'antd/es/locale/index.js';
import enUSModule from 'antd/locale/en_US.js';
import zhCNModule from 'antd/locale/zh_CN.js';

// antd ships its locales as CommonJS; depending on the bundler's interop the locale is the module or its default.
const unwrap = (module: unknown): Locale => ((module as { default?: Locale }).default ?? module) as Locale;

export const antdLocales: Record<'zh-CN' | 'en', Locale> = {
  'zh-CN': unwrap(zhCNModule),
  en: unwrap(enUSModule),
};
