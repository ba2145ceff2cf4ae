export { buildApp } from './app.ts';
export { loadConfig, type Config } from './config.ts';
export { openDatabase, type Database } from './db/database.ts';
export { createServices, type Services } from './services.ts';
export { systemScope, type Scope } from './modules/auth/scope.ts';
export { reportCsv, type ImportSummary, type ImportProgress } from './modules/import/import.service.ts';
export { openSource } from './modules/import/sources.ts';
export { today } from './clock.ts';
export { AppError } from './errors.ts';
