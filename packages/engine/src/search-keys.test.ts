import { describe, expect, it } from 'vitest';
import { classifySearch, nameSearchKeys } from './search-keys.ts';

describe('name search keys', () => {
  it('gives full pinyin and initials', () => {
    expect(nameSearchKeys('张伟')).toEqual({ pinyin: 'zhangwei', initials: 'zw' });
    expect(nameSearchKeys('郭建国')).toEqual({ pinyin: 'guojianguo', initials: 'gjg' });
  });

  it('reads polyphonic surnames as surnames', () => {
    expect(nameSearchKeys('单雄信').pinyin).toBe('shanxiongxin');
    expect(nameSearchKeys('曾国藩').pinyin).toBe('zengguofan');
    expect(nameSearchKeys('解缙').pinyin).toBe('xiejin');
    expect(nameSearchKeys('区伟').initials).toBe('ow');
  });

  it('keeps compound surnames together and writes ü as v', () => {
    expect(nameSearchKeys('欧阳修')).toEqual({ pinyin: 'ouyangxiu', initials: 'oyx' });
    expect(nameSearchKeys('吕布').pinyin).toBe('lvbu');
  });

  it('classifies search text', () => {
    expect(classifySearch('3101051966')).toBe('id');
    expect(classifySearch('31010519661128123x')).toBe('id');
    expect(classifySearch('zw')).toBe('pinyin');
    expect(classifySearch('张')).toBe('name');
  });
});
