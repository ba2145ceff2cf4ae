/**
 * The public self-screener: a household described by answers, evaluated with the reference
 * pack's rules on today's date, each policy with its conditions in the pack's plain words (the
 * labels of pack.yaml) and how to apply.
 * Nothing is stored: the population exists only for this call.
 */
import {
  explainPolicy,
  PopulationBuilder,
  scanPopulation,
  yearsBefore,
  type CompiledPack,
  type ScanResult,
} from '@tingjian/engine';
import { withinPack } from '../../pack-errors.ts';
import type { ScreenerRequest, ScreenerResult } from './policies.schema.ts';

export class PolicyScreener {
  constructor(private readonly pack: CompiledPack) {}

  /** Every policy of the reference pack for each member described, on `asOf` (today). */
  screen(req: ScreenerRequest, asOf: string): ScreenerResult {
    const b = new PopulationBuilder(16);
    b.addHousehold({
      household_id: 'H',
      committee_code: '000000000000',
      housing_area_m2: req.household.housingAreaM2 ?? null,
      financial_assets_yuan: req.household.financialAssetsYuan,
    });
    const ids = req.members.map((_, k) => `M${String(k).padStart(2, '0')}`);
    req.members.forEach((m, k) => {
      b.addResident({
        id_number: ids[k]!,
        birth_date: yearsBefore(asOf, m.age),
        household_id: 'H',
        gender: m.gender,
        hukou: m.hukou,
        marital_status: null,
        disability_grade: m.disabilityGrade,
        disability_category: m.disabilityGrade ? m.disabilityCategory : null,
        monthly_income_yuan: m.monthlyIncomeYuan,
        employment: m.employment,
        school_stage: m.schoolStage,
        labor_capacity: m.laborCapacity,
        chronic_illness: m.chronicIllness,
        medical_oop_12m_yuan: m.medicalOop12mYuan,
      });
    });
    req.members.forEach((m, k) => {
      if (m.hasSupporter === '是') b.addRelation(ids[k]!, '配偶', '是');
    });
    const population = b.build();
    const scan = withinPack(() => scanPopulation(this.pack, population, asOf));
    const apply = new Map(this.pack.def.policies.map((p) => [p.code, p.apply ?? null]));
    return {
      asOf,
      members: req.members.map((m, k) => {
        const i = population.indexOf.get(ids[k]!)!;
        return {
          label: m.label ?? `成员${k + 1}`,
          results: this.pack.def.policies.map((p) => {
            const x = explainPolicy(this.pack, scan, i, p.code);
            return {
              policy: p.code,
              name: p.name,
              eligible: x.eligible,
              monthlyAmountYuan: x.eligible === 'pass' ? (x.monthlyAmount ?? leadAmount(scan, p.code, i)) : null,
              // Each condition in the pack's own words (its label), the code beside it.
              reasons: x.conditions.map((c) => ({ text: c.label, code: c.text, met: c.trace.outcome })),
              howToApply: apply.get(p.code) ?? null,
            };
          }),
        };
      }),
      notice: '本测算只依据您填写的情况，结果仅供参考，不保存任何个人信息；是否符合以经办部门审核为准。',
    };
  }
}

function leadAmount(scan: ScanResult, code: string, i: number): number | null {
  const a = scan.columns.get(code)?.amount?.at(i);
  return a === undefined || a !== a ? null : Math.round(a * 100) / 100;
}
