import { describe, expect, it } from 'vitest';
import { createServices } from '../../services.ts';
import { DIALECTS, SAMPLE_DIR, freshServices } from '../../test/helpers.ts';
import { loadSample } from '../../test/sample-reference.ts';
import { systemScope } from '../auth/scope.ts';
import { openSource } from '../import/sources.ts';

for (const dialect of DIALECTS) {
  describe(`population columns (${dialect})`, () => {
    it('loads the registry once from rows, then from the stored image, identically; a new import rebuilds it', async () => {
      const services = await freshServices(dialect);
      try {
        await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
        const first = await services.population.snapshot();
        expect(first.from).toBe('rows');
        const sample = loadSample();
        expect(first.population.n).toBe(sample.people.length);
        expect([...first.population.ids]).toEqual(sample.people.map((p) => p.id).sort());
        const again = await createServices(services.database, { TINGJIAN_COUNTY: '310105' });
        const second = await again.population.snapshot();
        expect(second.from).toBe('image');
        const plain = (p: typeof first.population) => ({ ...p, indexOf: null, householdIndex: null });
        expect(plain(second.population)).toEqual(plain(first.population));
        // Every able supporter of the sample is marked, and only they.
        const able = new Set(
          sample.relations
            .filter((r) => ['配偶', '父母', '子女'].includes(r.relation!) && r.able_to_support === '是')
            .map((r) => r.id_number),
        );
        const marked = first.population.ids.filter((_, i) => first.population.ableSupporter[i] === 1);
        expect(new Set(marked)).toEqual(new Set([...able].filter((id) => first.population.indexOf.has(id!))));
        // Re-importing the same snapshot changes no row: the data version stays, and so does the population.
        const version = again.imports.dataVersion;
        await again.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
        expect(again.imports.dataVersion).toBe(version);
        const third = await again.population.snapshot();
        expect(third).toBe(second);
        expect(plain(third.population)).toEqual(plain(first.population));
        // A restart after it reads the rows again (the image was of the earlier run) or the rewritten image: the same columns.
        const restarted = await (
          await createServices(services.database, { TINGJIAN_COUNTY: '310105' })
        ).population.snapshot();
        expect(plain(restarted.population)).toEqual(plain(first.population));
      } finally {
        await services.database.close();
      }
    });
  });
}
