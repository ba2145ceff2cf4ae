/**
 * The public self-screener: a household described by answers, evaluated with the reference
 * pack's rules on today's date, each policy with its conditions in plain words and how to apply.
 * Nothing is stored: the population exists only for this call.
 */
import { explainPolicy, PopulationBuilder, scanPopulation, yearsBefore, type CompiledPack, type ScanResult, type Trace } from '@tingjian/engine';
import { withinPack } from '../../pack-errors.ts';
import type { ScreenerRequest, ScreenerResult } from './policies.schema.ts';

export class PolicyScreener {
  constructor(private readonly pack: CompiledPack) {}

  /** Every policy of the reference pack for each member described, on `asOf` (today). */
  screen(req: ScreenerRequest, asOf: string): ScreenerResult {
    const b = new PopulationBuilder(16);
    b.addHousehold({ household_id: 'H', committee_code: '000000000000', housing_area_m2: req.household.housingAreaM2 ?? null, financial_assets_yuan: req.household.financialAssetsYuan });
    const ids = req.members.map((_, k) => `M${String(k).padStart(2, '0')}`);
    req.members.forEach((m, k) => {
      b.addResident({
        id_number: ids[k]!, birth_date: yearsBefore(asOf, m.age), household_id: 'H', gender: m.gender, hukou: m.hukou, marital_status: null,
        disability_grade: m.disabilityGrade, disability_category: m.disabilityGrade ? m.disabilityCategory : null, monthly_income_yuan: m.monthlyIncomeYuan,
        employment: m.employment, school_stage: m.schoolStage, labor_capacity: m.laborCapacity, chronic_illness: m.chronicIllness, medical_oop_12m_yuan: m.medicalOop12mYuan,
      });
    });
    req.members.forEach((m, k) => { if (m.hasSupporter === '是') b.addRelation(ids[k]!, '配偶', '是'); });
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
              policy: p.code, name: p.name, eligible: x.eligible, monthlyAmountYuan: x.eligible === 'pass' ? x.monthlyAmount ?? leadAmount(scan, p.code, i) : null,
              reasons: flatten(x.explanation.trace).map((t) => ({ text: plain(t.text), met: t.outcome })), howToApply: apply.get(p.code) ?? null,
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

/** The top-level conditions of a rule (an AND chain), for a plain list of reasons. */
function flatten(t: Trace): readonly Trace[] {
  return t.parts.length > 0 && !t.text.startsWith('!') ? t.parts : [t];
}

/** Rule text in plain words for residents. */
const PLAIN: Array<[RegExp, string]> = [
  [/^local$/, '本市户籍'], [/^!able_supporter$/, '没有能够赡养、抚养或扶养您的配偶、父母或子女'], [/^no_work_capacity$/, '无劳动能力（年满60岁、未满16岁、重度残疾或经认定无劳动能力）'],
  [/^severe_disability$/, '重度残疾（一、二级，或三级智力、精神残疾）'], [/^disability_grade != null$/, '持有残疾人证'],
  [/^income < LIBAO$/, '本人月收入低于低保标准'], [/^household\.pc_income < LIBAO$/, '家庭人均月收入低于低保标准'],
  [/^household\.pc_assets <= DIBAO_ASSETS_PC$/, '家庭人均金融资产不超过低保规定的上限'], [/^household\.pc_assets <= LOW_INCOME_ASSETS_PC$/, '家庭人均金融资产不超过规定上限'],
  [/^age >= 60 && household\.size == 1$/, '年满60岁且独自居住'], [/^age >= 16$/, '年满16岁'], [/^household\.size == 1$/, '独自居住'], [/^age >= 60$/, '年满60岁'],
  [/^!\(eligible\("TEKUN"\) \|\| holds\("TEKUN"\)\)$/, '不属于特困人员供养对象（特困人员由特困供养统一保障）'],
  [/^age >= 60 \|\| age < TEKUN_MINOR_AGE \|\| disability_grade != null$/, '年满60岁、未成年或持有残疾人证'],
  [/^school_stage in \[.*\]$/, '正在上小学、初中、高中、中职或高校'],
  [/^LIBAO <= household\.pc_income$/, '家庭人均月收入不低于低保标准'], [/^household\.pc_income >= LIBAO$/, '家庭人均月收入不低于低保标准'],
  [/^household\.pc_income < 2 \* LIBAO$/, '家庭人均月收入低于低保标准的2倍'],
  [/^12 \* household\.pc_income < CITY_AVG_INCOME$/, '家庭人均年收入低于上年度本市居民人均可支配收入'],
  [/^\(12 \* household\.income - household\.medical\).*$/, '扣除医疗支出后家庭人均收入低于低保标准，或医疗支出达到家庭年收入的40%'],
  [/^\(?gender == "男" \? age < 60 : age < 50\)?$/, '未到退休年龄（男未满60岁，女未满50岁）'],
  [/^employment in \[.*\]$/, '目前失业或没有工作'], [/^labor_capacity in \[.*\]$/, '有劳动能力或部分劳动能力'],
  [/^eligible\("DIBAO"\) \|\| holds\("DIBAO"\) \|\| eligible\("LOW_INCOME"\) \|\| holds\("LOW_INCOME"\)$/, '家庭属于低保或低收入困难家庭'],
  [/^eligible\("DIBAO"\) \|\| holds\("DIBAO"\) \|\| eligible\("LOW_INCOME"\).*eligible\("TEKUN"\) \|\| holds\("TEKUN"\)$/, '家庭属于低保、低收入、支出型贫困家庭或特困人员'],
];
function plain(text: string): string {
  for (const [re, words] of PLAIN) if (re.test(text)) return words;
  return text;
}
