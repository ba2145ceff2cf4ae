export * from './dates.ts';
export * from './ids.ts';
export * from './org.ts';
export * from './exchange.ts';
export * from './search-keys.ts';
export * from './terms.ts';
export { generateDemoPopulation, demoStoryIds, STORY_DISABILITY_RECORD, DEFAULT_DEMO_SEED, type DemoOptions, type DemoRecord, type DemoStories } from './demo/generate.ts';
