export * from './dates.ts';
export * from './ids.ts';
export * from './org.ts';
export * from './exchange.ts';
export * from './search-keys.ts';
export * from './terms.ts';
