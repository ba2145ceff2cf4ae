/**
 * `@tingjian/demo`: the synthetic 长宁 population for demonstrations, tests and benchmarks,
 * streamed as exchange-format rows, seeded and deterministic. It reads the engine (dates, id
 * numbers, the exchange format, terms) and the engine does not know it.
 */
export {
  DEFAULT_DEMO_SEED,
  demoStoryIds,
  generateDemoPopulation,
  STORY_DISABILITY_RECORD,
  type DemoOptions,
  type DemoRecord,
  type DemoStories,
} from './generate.ts';
