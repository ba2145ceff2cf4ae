/**
 * Writes a plain, valid exchange-format snapshot of a given size for tests that need volume
 * (atomicity under a killed process) without the demo generator's realism.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIsoDate, idCheckCharacter } from '@tingjian/engine';

export function writeSyntheticSnapshot(dir: string, households: number, committee = '310105001001'): void {
  mkdirSync(dir, { recursive: true });
  const hh = ['household_id,committee_code,address,housing_type,housing_area_m2,financial_assets_yuan'];
  const rs = [
    'id_number,name,gender,birth_date,household_id,relation_to_head,hukou,marital_status,disability_grade,disability_category,monthly_income_yuan,employment,school_stage,labor_capacity,chronic_illness,medical_oop_12m_yuan,phone',
  ];
  for (let i = 0; i < households; i++) {
    const id = `S${String(i).padStart(7, '0')}`;
    hh.push(`${id},${committee},测试路${i}号,自有,60,10000`);
    for (let m = 0; m < 2; m++) {
      const k = i * 2 + m;
      const birth = formatIsoDate(1940 + (k % 60), 1 + (k % 12), 1 + (k % 28));
      const seq = String((k % 500) * 2 + (m === 0 ? 1 : 0)).padStart(3, '0');
      const first17 = `3101${String(10 + (Math.floor(k / 500) % 90)).padStart(2, '0')}${birth.replaceAll('-', '')}${seq}`;
      rs.push(
        `${first17}${idCheckCharacter(first17)},测试${k},${m === 0 ? '男' : '女'},${birth},${id},${m === 0 ? '户主' : '配偶'},本市,已婚,,,3000,在职,,有,否,0,13800000000`,
      );
    }
  }
  writeFileSync(join(dir, 'households.csv'), hh.join('\n') + '\n');
  writeFileSync(join(dir, 'residents.csv'), rs.join('\n') + '\n');
}
