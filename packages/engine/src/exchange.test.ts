import { describe, expect, it } from 'vitest';
import { COLUMNS, recordCheck, validateRow } from './exchange.ts';

const resident = {
  id_number: '340104199208304418',
  name: '唐伟',
  gender: '男',
  birth_date: '1992-08-30',
  household_id: 'H1',
  relation_to_head: '户主',
  hukou: '外省市',
  marital_status: '已婚',
  disability_grade: '',
  disability_category: '',
  monthly_income_yuan: '15362',
  employment: '在职',
  school_stage: '',
  labor_capacity: '有',
  chronic_illness: '否',
  medical_oop_12m_yuan: '0',
  phone: '19627983002',
};

describe('exchange-format row validation', () => {
  it('types a valid resident row', () => {
    const r = validateRow('residents', resident);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.row.monthly_income_yuan).toBe(15362);
      expect(r.row.disability_grade).toBeNull();
    }
  });

  it('names the column and reason of each problem', () => {
    const r = validateRow('residents', {
      ...resident,
      gender: 'M',
      monthly_income_yuan: '1,200',
      disability_grade: '5',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => p.column).sort()).toEqual(['disability_grade', 'gender', 'monthly_income_yuan']);
      expect(r.problems.find((p) => p.column === 'gender')!.reason).toContain('未知代码');
    }
  });

  it('rejects a birth date or gender that disagrees with the id number', () => {
    const a = validateRow('residents', { ...resident, birth_date: '1992-08-31' });
    expect(a.ok ? [] : a.problems.map((p) => p.column)).toEqual(['birth_date']);
    const b = validateRow('residents', { ...resident, gender: '女' });
    expect(b.ok ? [] : b.problems.map((p) => p.column)).toEqual(['gender']);
  });

  it('takes birth date and gender from the id number when they are empty', () => {
    const r = validateRow('residents', { ...resident, birth_date: '', gender: '' });
    expect(r.ok && [r.row.birth_date, r.row.gender]).toEqual(['1992-08-30', '男']);
  });

  it('rejects unknown benefit codes and impossible dates in enrollments', () => {
    const r = validateRow('enrollments', {
      id_number: resident.id_number,
      benefit_code: 'NO_SUCH',
      start_date: '2023-02-29',
      end_date: '',
    });
    expect(r.ok ? [] : r.problems.map((p) => p.column)).toEqual(['benefit_code', 'start_date']);
  });

  it('requires a 12-digit committee code', () => {
    const r = validateRow('households', {
      household_id: 'H1',
      committee_code: '3101050010',
      address: '',
      housing_type: '',
      housing_area_m2: '',
      financial_assets_yuan: '',
    });
    expect(r.ok ? [] : r.problems.map((p) => p.column)).toEqual(['committee_code']);
  });

  it('checks records by position, whatever the order of the header, as validateRow checks cells', () => {
    const names = COLUMNS.residents.map(([c]) => c) as string[];
    const header = [...names]
      .reverse()
      .filter((c) => c !== 'phone')
      .concat('extra');
    const check = recordCheck('residents', header);
    const cases = [
      resident,
      { ...resident, gender: 'M', birth_date: '' },
      { ...resident, birth_date: '', gender: '' },
      { ...resident, id_number: '340104199208304419' },
    ];
    for (const cells of cases) {
      const record = header.map((c) => (c === 'extra' ? 'x' : (cells as Record<string, string>)[c]));
      const out: string[] = ['before'];
      const problems = check(record, out);
      const r = validateRow('residents', { ...cells, phone: '' });
      expect(problems).toEqual(r.ok ? null : r.problems);
      if (r.ok) {
        expect(out[0]).toBe('before');
        expect(out.slice(1)).toEqual(
          names.map((c) => {
            const v = (r.row as unknown as Record<string, unknown>)[c];
            return v === null ? '' : String(v);
          }),
        );
      }
    }
  });
});

describe('field sizes and characters', () => {
  const problems = (table: Parameters<typeof validateRow>[0], cells: Record<string, string>) => {
    const r = validateRow(table, cells);
    return r.ok ? [] : r.problems.map((p) => `${p.column}: ${p.reason}`);
  };
  const household = {
    household_id: 'H1',
    committee_code: '310105001001',
    address: '仙霞路1号',
    housing_type: '自有',
    housing_area_m2: '60',
    financial_assets_yuan: '1000',
  };

  it('refuses a 5,000,000-character name, a 100,000-digit phone and a name with a line break', () => {
    expect(problems('residents', { ...resident, name: '张'.repeat(5_000_000) })).toEqual([
      expect.stringMatching(/^name: .*50/),
    ]);
    expect(problems('residents', { ...resident, phone: '1'.repeat(100_000) })).toEqual([
      expect.stringMatching(/^phone: .*20/),
    ]);
    expect(problems('residents', { ...resident, name: '张\n伟' })).toEqual([expect.stringMatching(/^name: .*换行/)]);
    expect(problems('residents', { ...resident, name: '张\r伟' })).toEqual([expect.stringMatching(/^name: .*换行/)]);
    expect(problems('residents', { ...resident, name: '张\u0000伟' })).toEqual([
      expect.stringMatching(/^name: .*U\+0000/),
    ]);
  });

  it('keeps reasons short however long the text they are about', () => {
    const long = 'x'.repeat(100_000);
    for (const cells of [
      { ...resident, gender: long },
      { ...resident, monthly_income_yuan: long },
      { ...resident, birth_date: long },
    ]) {
      const r = validateRow('residents', cells);
      expect(r.ok).toBe(false);
      if (!r.ok) for (const p of r.problems) expect(p.reason.length).toBeLessThan(200);
    }
    const h = validateRow('households', {
      ...household,
      committee_code: '3'.repeat(100_000),
      household_id: 'H'.repeat(100_000),
      address: '路'.repeat(100_000),
    });
    expect(h.ok ? [] : h.problems.map((p) => p.column).sort()).toEqual(['address', 'committee_code', 'household_id']);
    if (!h.ok) for (const p of h.problems) expect(p.reason.length).toBeLessThan(200);
  });

  it('limits free text, keys and tags, and refuses control characters and mis-decoded text in them', () => {
    expect(problems('households', { ...household, address: '路'.repeat(500) })).toEqual([]);
    expect(problems('households', { ...household, address: '路'.repeat(501) })).toEqual([
      expect.stringMatching(/^address: .*500/),
    ]);
    expect(problems('households', { ...household, address: '仙霞路\t1号' })).toEqual([
      expect.stringMatching(/^address: .*制表符/),
    ]);
    expect(problems('households', { ...household, household_id: 'H'.repeat(65) })).toEqual([
      expect.stringMatching(/^household_id: .*64/),
    ]);
    expect(problems('identity_tags', { id_number: resident.id_number, tag: '志'.repeat(51) })).toEqual([
      expect.stringMatching(/^tag: .*50/),
    ]);
    // A GBK file read as UTF-8: the replacement character says the bytes were not UTF-8.
    expect(problems('residents', { ...resident, name: '\ufffd\ufffd' })).toEqual([
      expect.stringMatching(/^name: .*编码/),
    ]);
    expect(problems('residents', { ...resident, name: '张\u202e伟' })).toEqual([
      expect.stringMatching(/^name: .*U\+202E/),
    ]);
    expect(problems('residents', { ...resident, name: '张\ud842' })).toEqual([expect.stringMatching(/^name: /)]);
    expect(
      problems('relations', {
        id_number: resident.id_number,
        relative_name: '李'.repeat(51),
        relative_id_number: '',
        relation: '子女',
        able_to_support: '是',
      }),
    ).toEqual([expect.stringMatching(/^relative_name: .*50/)]);
  });

  it('takes phones of digits, +, - and spaces up to 20 characters', () => {
    for (const phone of ['13800000000', '021-62345678', '+86 138 0000 0000', '1'.repeat(20)])
      expect(problems('residents', { ...resident, phone })).toEqual([]);
    for (const phone of ['1'.repeat(21), '138x0000000', '138０0000000', '电话13800000000'])
      expect(problems('residents', { ...resident, phone })).toEqual([expect.stringMatching(/^phone: /)]);
  });

  it('accepts names without a pinyin reading: 𠮷 (outside the BMP) and the middle dot of minority names', () => {
    for (const name of [
      '𠮷磊',
      '阿卜杜·买买提',
      '𠮷',
      '玛丽亚・伊万诺娃',
      'Ａｌｉ',
      '张'.repeat(50),
      '𠮷'.repeat(50),
    ]) {
      expect(problems('residents', { ...resident, name }), name).toEqual([]);
    }
  });

  it('limits the digits of numbers (a 100,000-digit number is no amount of money)', () => {
    expect(problems('households', { ...household, financial_assets_yuan: '9'.repeat(100_000) })).toEqual([
      expect.stringMatching(/^financial_assets_yuan: /),
    ]);
    expect(problems('households', { ...household, financial_assets_yuan: '123456789012345.25' })).toEqual([]);
    expect(problems('households', { ...household, financial_assets_yuan: '5121.33333333333' })).toEqual([]);
    for (const bad of ['1,200', '1e5', '.', '-', '1.2.3', '+5', ' 5']) {
      expect(problems('households', { ...household, housing_area_m2: `${bad}x` }), bad).toEqual([
        expect.stringMatching(/^housing_area_m2: .*不是数字/),
      ]);
    }
    for (const good of ['0', '12.', '.5', '12.50'])
      expect(problems('households', { ...household, housing_area_m2: good }), good).toEqual([]);
    expect(problems('households', { ...household, housing_area_m2: '-1' })).toEqual([expect.stringMatching(/负数/)]);
  });
});
