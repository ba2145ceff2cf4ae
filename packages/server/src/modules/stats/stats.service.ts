import { ageOn, BENEFIT_CODES, BENEFIT_NAMES, yearsBefore } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { StatsRepository } from './stats.repository.ts';

const CHILD_LENGTH: Record<string, number> = { city: 6, district: 9, street: 12 };
const BANDS = Array.from({ length: 18 }, (_, i) => (i === 17 ? '85+' : `${i * 5}-${i * 5 + 4}`));

export interface Overview {
  asOf: string;
  org: { code: string; name: string; level: string };
  residents: number;
  households: number;
  children: Array<{ code: string; name: string; level: string; residents: number; households: number }>;
  agePyramid: Array<{ band: string; male: number; female: number }>;
  facts: { disability: number; severeDisability: number; chronicIllness: number; eldersAlone: number; aged80plus: number; benefits: Array<{ code: string; name: string; holders: number }> };
}

/**
 * The dashboard of an org unit. Aggregates over a million rows take a moment, so results are
 * kept per (unit, date) until the registry changes (`dataVersion` moves on every import).
 */
export class StatsService {
  private readonly cache = new Map<string, { version: number; value: Overview }>();

  constructor(private readonly repo: StatsRepository, private readonly org: OrgService, private readonly dataVersion: () => number) {}

  async overview(scope: Scope, orgCode: string | undefined, asOf: string): Promise<Overview> {
    const code = orgCode ?? scope.orgCode;
    const unit = this.org.get(code);
    if (!unit || !code.startsWith(scope.orgCode)) throw new AppError('TJ_ORG_NOT_FOUND');
    const key = `${code}@${asOf}`;
    const hit = this.cache.get(key);
    if (hit && hit.version === this.dataVersion()) return hit.value;
    const version = this.dataVersion();
    const childLength = CHILD_LENGTH[unit.level];
    const [counts, births, facts, benefits] = await Promise.all([
      childLength ? this.repo.countsByChild(code, childLength) : Promise.resolve({ residents: [], households: [] }),
      this.repo.byBirthDateAndGender(code),
      this.repo.facts(code, yearsBefore(asOf, 60), yearsBefore(asOf, 80)),
      this.repo.benefitHolders(code, asOf),
    ]);
    const pyramid = BANDS.map((band) => ({ band, male: 0, female: 0 }));
    let residents = 0;
    for (const b of births) {
      if (b.birthDate > asOf) continue; // not born yet on the as-of date
      residents += b.n;
      const band = pyramid[Math.min(17, Math.floor(ageOn(b.birthDate, asOf) / 5))]!;
      if (b.gender === '男') band.male += b.n; else band.female += b.n;
    }
    const hh = new Map(counts.households.map((c) => [c.code, c.n]));
    const rs = new Map(counts.residents.map((c) => [c.code, c.n]));
    const children = this.org.childrenOf(code).map((c) => ({ code: c.code, name: c.name, level: c.level, residents: rs.get(c.code) ?? 0, households: hh.get(c.code) ?? 0 }));
    const households = childLength ? [...hh.values()].reduce((a, b) => a + b, 0) : await this.householdsOfCommittee(code);
    const held = new Map(benefits.map((b) => [b.code, b.n]));
    const value: Overview = {
      asOf, org: { code, name: unit.name, level: unit.level }, residents, households, children, agePyramid: pyramid,
      facts: { ...facts, benefits: BENEFIT_CODES.map((c) => ({ code: c, name: BENEFIT_NAMES[c] ?? c, holders: held.get(c) ?? 0 })) },
    };
    this.cache.set(key, { version, value });
    return value;
  }

  private async householdsOfCommittee(code: string): Promise<number> {
    const c = await this.repo.countsByChild(code, 12);
    return c.households.reduce((a, b) => a + b.n, 0);
  }
}
