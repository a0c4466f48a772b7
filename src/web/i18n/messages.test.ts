import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

async function translator(language: 'en' | 'zh-CN') {
  const i18n = createInstance();
  await i18n.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: language,
    interpolation: { escapeValue: false },
  });
  return i18n.t.bind(i18n);
}

/** Every leaf key of a message tree, as dotted paths. */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keys(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('messages', () => {
  it('counts working days in the singular and the plural in English', async () => {
    const t = await translator('en');
    expect(t('inbox.daysLeft', { count: 1 })).toBe('1 working day left');
    expect(t('inbox.daysLeft', { count: 3 })).toBe('3 working days left');
    expect(t('inbox.overdue', { count: 1 })).toBe('Overdue by 1 working day');
  });

  it('counts working days in Chinese without plural forms', async () => {
    const t = await translator('zh-CN');
    expect(t('inbox.daysLeft', { count: 1 })).toBe('剩余 1 个工作日');
    expect(t('inbox.daysLeft', { count: 5 })).toBe('剩余 5 个工作日');
  });

  it('leaves no message empty in either language', () => {
    const empty = [...keys(zhCN).map((k) => ['zh-CN', k]), ...keys(en).map((k) => ['en', k])].filter(
      ([language, key]) => {
        const tree: unknown = language === 'en' ? en : zhCN;
        const value = key!
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
        return value === '';
      },
    );
    expect(empty).toEqual([]);
  });
});
