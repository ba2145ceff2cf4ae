import { openDatabase, createServices } from './index.ts';
import { assessPopulation } from '@tingjian/engine';
const database = await openDatabase({ sqlitePath: '/tmp/tingjian-bench/tags.db' });
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const { population } = await services.population.snapshot();
for (let r = 0; r < 3; r++) { const t = performance.now(); assessPopulation(services.assessment.framework, services.policies.pack, population, '2026-11-28'); console.log('assess', Math.round(performance.now() - t)); }
await database.close();
