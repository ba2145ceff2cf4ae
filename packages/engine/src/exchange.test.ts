import { describe, expect, it } from 'vitest';
import { COLUMNS, recordCheck, validateRow } from './exchange.ts';

const resident = {
  id_number: '340104199208304418', name: '唐伟', gender: '男', birth_date: '1992-08-30', household_id: 'H1',
  relation_to_head: '户主', hukou: '外省市', marital_status: '已婚', disability_grade: '', disability_category: '',
  monthly_income_yuan: '15362', employment: '在职', school_stage: '', labor_capacity: '有', chronic_illness: '否',
  medical_oop_12m_yuan: '0', phone: '19627983002',
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
    const r = validateRow('residents', { ...resident, gender: 'M', monthly_income_yuan: '1,200', disability_grade: '5' });
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
    const r = validateRow('enrollments', { id_number: resident.id_number, benefit_code: 'NO_SUCH', start_date: '2023-02-29', end_date: '' });
    expect(r.ok ? [] : r.problems.map((p) => p.column)).toEqual(['benefit_code', 'start_date']);
  });

  it('requires a 12-digit committee code', () => {
    const r = validateRow('households', { household_id: 'H1', committee_code: '3101050010', address: '', housing_type: '', housing_area_m2: '', financial_assets_yuan: '' });
    expect(r.ok ? [] : r.problems.map((p) => p.column)).toEqual(['committee_code']);
  });

  it('checks records by position, whatever the order of the header, as validateRow checks cells', () => {
    const names = COLUMNS.residents.map(([c]) => c) as string[];
    const header = [...names].reverse().filter((c) => c !== 'phone').concat('extra');
    const check = recordCheck('residents', header);
    const cases = [resident, { ...resident, gender: 'M', birth_date: '' }, { ...resident, birth_date: '', gender: '' }, { ...resident, id_number: '340104199208304419' }];
    for (const cells of cases) {
      const record = header.map((c) => (c === 'extra' ? 'x' : (cells as Record<string, string>)[c]));
      const out: string[] = ['before'];
      const problems = check(record, out);
      const r = validateRow('residents', { ...cells, phone: '' });
      expect(problems).toEqual(r.ok ? null : r.problems);
      if (r.ok) {
        expect(out[0]).toBe('before');
        expect(out.slice(1)).toEqual(names.map((c) => { const v = (r.row as unknown as Record<string, unknown>)[c]; return v === null ? '' : String(v); }));
      }
    }
  });
});
