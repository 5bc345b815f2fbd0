import { describe, expect, it } from 'vitest';
import { dictionaries, translate, translateEnum } from './i18n.ts';

describe('i18n', () => {
  it('has the same keys and placeholders in both languages', () => {
    const zhKeys = Object.keys(dictionaries.zh).sort();
    expect(Object.keys(dictionaries.en).sort()).toEqual(zhKeys);
    for (const key of zhKeys) {
      const holes = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      expect(holes(dictionaries.en[key as keyof typeof dictionaries.en]), key).toEqual(
        holes(dictionaries.zh[key as keyof typeof dictionaries.zh]),
      );
    }
  });

  it('fills placeholders', () => {
    expect(translate('zh', 'common.total', { total: 12 })).toBe('共 12 条');
    expect(translate('en', 'common.total', { total: 12 })).toBe('12 in total');
  });

  it('translates server enums and passes unknown values through', () => {
    expect(translateEnum('zh', 'status', 'in_operation')).toBe('在用');
    expect(translateEnum('en', 'status', 'mystery')).toBe('mystery');
    expect(translateEnum('en', 'status', null)).toBe('—');
  });
});
