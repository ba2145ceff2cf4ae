/** Aggregates over an org unit's residents for the dashboard. Codes are a checked prefix. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

const inOrg = (code: string) => [code, `${code}~`] as const;

export class StatsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Residents and households per child unit (the first `childLength` digits of the committee). */
  async countsByChild(orgCode: string, childLength: number) {
    const [lo, hi] = inOrg(orgCode);
    const child = sql<string>`substr(committee_code, 1, ${sql.lit(childLength)})`;
    const [residents, households] = await Promise.all([
      this.db.selectFrom('resident').select([child.as('code'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('committee_code', '>=', lo).where('committee_code', '<', hi).groupBy(child).execute(),
      this.db.selectFrom('household').select([child.as('code'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('committee_code', '>=', lo).where('committee_code', '<', hi).groupBy(child).execute(),
    ]);
    return { residents: residents.map((r) => ({ code: r.code, n: Number(r.n) })), households: households.map((r) => ({ code: r.code, n: Number(r.n) })) };
  }

  /** Residents per birth date and gender: exact ages on any date follow from it. */
  async byBirthDateAndGender(orgCode: string) {
    const [lo, hi] = inOrg(orgCode);
    const rows = await this.db.selectFrom('resident').select(['birth_date', 'gender', (eb) => eb.fn.countAll<number>().as('n')])
      .where('committee_code', '>=', lo).where('committee_code', '<', hi).groupBy(['birth_date', 'gender']).execute();
    return rows.map((r) => ({ birthDate: r.birth_date, gender: r.gender, n: Number(r.n) }));
  }

  async facts(orgCode: string, bornOnOrBefore60: string, bornOnOrBefore80: string) {
    const [lo, hi] = inOrg(orgCode);
    const base = this.db.selectFrom('resident').where('committee_code', '>=', lo).where('committee_code', '<', hi);
    const r = await base.select([
      (eb) => eb.fn.count<number>('disability_grade').as('disability'),
      sql<number>`sum(case when disability_grade in (1, 2) or (disability_grade = 3 and disability_category in ('智力', '精神')) then 1 else 0 end)`.as('severe'),
      sql<number>`sum(case when chronic_illness = '是' then 1 else 0 end)`.as('chronic'),
      sql<number>`sum(case when birth_date <= ${bornOnOrBefore80} then 1 else 0 end)`.as('aged80'),
    ]).executeTakeFirstOrThrow();
    // Elders living alone: households of exactly one resident, who is 60 or older.
    const alone = await this.db.selectFrom(
      base.select(['household_id', (eb) => eb.fn.countAll<number>().as('members'), (eb) => eb.fn.max('birth_date').as('youngest')]).groupBy('household_id').as('h'),
    ).select((eb) => eb.fn.countAll<number>().as('n')).where('h.members', '=', 1).where('h.youngest', '<=', bornOnOrBefore60).executeTakeFirstOrThrow();
    return { disability: Number(r.disability ?? 0), severeDisability: Number(r.severe ?? 0), chronicIllness: Number(r.chronic ?? 0), aged80plus: Number(r.aged80 ?? 0), eldersAlone: Number(alone.n) };
  }

  /** People holding each benefit on a date (reference-policies.md: holds(p, X)). */
  async benefitHolders(orgCode: string, asOf: string) {
    const [lo, hi] = inOrg(orgCode);
    const rows = await this.db.selectFrom('enrollment').innerJoin('resident', 'resident.id_number', 'enrollment.id_number')
      .select(['enrollment.benefit_code as code', (eb) => eb.fn.count<number>('enrollment.id_number').distinct().as('n')])
      .where('resident.committee_code', '>=', lo).where('resident.committee_code', '<', hi)
      .where('enrollment.start_date', '<=', asOf)
      .where((eb) => eb.or([eb('enrollment.end_date', 'is', null), eb('enrollment.end_date', '>=', asOf)]))
      .groupBy('enrollment.benefit_code').execute();
    return rows.map((r) => ({ code: r.code, n: Number(r.n) }));
  }
}
