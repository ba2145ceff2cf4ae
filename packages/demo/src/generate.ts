/**
 * A synthetic population of a Shanghai district for demonstrations and benchmarks, streamed
 * household by household as exchange-format rows (shared/spec/exchange-format.md), in memory that
 * does not grow with its size (1,000,000 residents stream in well under 15 seconds).
 *
 * Pure and deterministic: no I/O, no clock, no Math.random. The same options give the same rows.
 * Households of every shape are spread over the given neighbourhood committees; about 70% of the
 * people a benefit is meant for receive it; the last three households are the stories of
 * reference-policies.md, relative to `asOf` (see stories.ts).
 */
import {
  isIsoDate,
  type EnrollmentRow,
  type HouseholdRow,
  type IdentityTagRow,
  type IsoDate,
  type RelationRow,
  type ResidentRow,
} from '@tingjian/engine';
import { parametersOn, type PolicyParameters } from './eligibility.ts';
import { HouseholdBuilder } from './households.ts';
import { IdAllocator } from './id-allocator.ts';
import { AgeCalendar, relationRows, residentRow } from './people.ts';
import { ALL_REGION_CODES } from './places.ts';
import { Rng, Weighted } from './random.ts';
import { planStories, storyCommittee, storyHouseholdRow, type DemoStories, type StoryPlan } from './stories.ts';

export { STORY_DISABILITY_RECORD, type DemoStories } from './stories.ts';

export interface DemoOptions {
  /** Approximate number of residents (the last household may overshoot by a few). */
  residents: number;
  /** The demo's "today" (YYYY-MM-DD): ages and the stories are relative to it. */
  asOf: string;
  /** Default 20261128. */
  seed?: number;
  /** The real 12-digit committee codes to spread households over. */
  committees: ReadonlyArray<{ code: string; name: string }>;
}

export type DemoRecord =
  | { table: 'households'; row: HouseholdRow }
  | { table: 'residents'; row: ResidentRow }
  | { table: 'relations'; row: RelationRow }
  | { table: 'enrollments'; row: EnrollmentRow }
  | { table: 'identity_tags'; row: IdentityTagRow };

export const DEFAULT_DEMO_SEED = 20261128;

interface Setup {
  readonly asOf: IsoDate;
  readonly seed: number;
  readonly cal: AgeCalendar;
  readonly ids: IdAllocator;
  readonly stories: StoryPlan;
  readonly params: PolicyParameters;
}

function setUp(options: DemoOptions): Setup {
  const { asOf, committees } = options;
  if (!isIsoDate(asOf)) throw new RangeError(`asOf is not a date: ${asOf}`);
  if (committees.length === 0) throw new RangeError('no committees to place households in');
  for (const c of committees)
    if (!/^\d{12}$/.test(c.code)) throw new RangeError(`not a 12-digit committee code: ${c.code}`);
  if (!Number.isFinite(options.residents) || options.residents < 0)
    throw new RangeError(`residents must be a non-negative number: ${options.residents}`);
  // The enrollments follow the reference pack's rules, which have no values before 2020-07-01.
  const params = parametersOn(asOf);
  const cal = new AgeCalendar(asOf);
  const ids = new IdAllocator(asOf, ALL_REGION_CODES);
  // The story people get their ids first: they then depend on asOf alone (see demoStoryIds).
  const stories = planStories(cal, ids);
  return { asOf, seed: (options.seed ?? DEFAULT_DEMO_SEED) >>> 0, cal, ids, stories, params };
}

/** `D0000001`, `D0000002`... */
function householdId(n: number): string {
  return `D${String(n).padStart(7, '0')}`;
}

/**
 * Which committee each household belongs to. The first households go one to each committee in
 * the order given, so that every committee has people once there are enough households; after
 * that, committees are picked by a size drawn once per committee, since real committees range
 * from under a thousand to several thousand households.
 */
class CommitteePicker {
  private readonly codes: readonly string[];
  private readonly bySize: Weighted<string>;
  private handedOut = 0;

  constructor(committees: ReadonlyArray<{ code: string }>, rng: Rng) {
    this.codes = committees.map((c) => c.code);
    this.bySize = new Weighted(this.codes.map((c) => [c, rng.real(0.5, 1.5)] as const));
  }

  next(rng: Rng): string {
    const i = this.handedOut++;
    return i < this.codes.length ? this.codes[i]! : this.bySize.pick(rng);
  }
}

/**
 * Streams the population household by household: a household row, then its residents, then
 * their relations, enrollments and identity tags. Nothing but the current household is kept.
 */
export function* generateDemoPopulation(options: DemoOptions): Generator<DemoRecord> {
  const setup = setUp(options);
  const { cal, ids, stories, seed, params } = setup;
  const rng = new Rng(seed);
  const committees = new CommitteePicker(options.committees, rng.fork(1));
  const builder = new HouseholdBuilder({ rng: rng.fork(2), cal, ids, params });
  const committeeRng = rng.fork(3);

  const storyResidents = stories.households.reduce((s, h) => s + h.members.length, 0);
  const target = Math.round(options.residents) - storyResidents;
  let households = 0;
  for (let residents = 0; residents < target;) {
    const built = builder.build(householdId(++households), committees.next(committeeRng));
    residents += built.members.length;
    // Written out rather than delegated to a helper generator: this loop runs for every household.
    yield { table: 'households', row: built.household };
    for (const m of built.members) yield { table: 'residents', row: residentRow(m, built.household.household_id) };
    for (const rows of built.relations) for (const row of rows) yield { table: 'relations', row };
    for (const row of built.enrollments) yield { table: 'enrollments', row };
    for (const row of built.tags) yield { table: 'identity_tags', row };
  }

  const storyRng = new Rng(seed ^ 0x5107);
  for (const h of stories.households) {
    const household = storyHouseholdRow(
      h,
      householdId(++households),
      storyCommittee(options.committees, h.street, h.nth),
      storyRng,
    );
    // Relations are derived like everyone else's; the stories have no enrollments and no tags.
    yield { table: 'households', row: household };
    for (const m of h.members) yield { table: 'residents', row: residentRow(m, household.household_id) };
    for (const rows of relationRows(h.members, params.libao)) for (const row of rows) yield { table: 'relations', row };
  }
}

/** The ids of the story people, so tests and the UI can point at them. They depend on asOf only. */
export function demoStoryIds(options: DemoOptions): DemoStories {
  return { ...setUp(options).stories.ids };
}
