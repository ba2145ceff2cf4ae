/**
 * Names without a pinyin reading are valid names: 𠮷 (outside the BMP), the middle dot of
 * minority names, full-width letters. They import, in place and in the worker thread, with search
 * keys that are never empty (an empty key is stored as NULL, which the key columns refuse).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COLUMNS, idCheckCharacter } from '@tingjian/engine';
import type { Services } from '../../services.ts';
import { DIALECTS, freshServices, SAMPLE_DIR } from '../../test/helpers.ts';
import { systemScope } from '../auth/scope.ts';
import { openSource } from './sources.ts';

const NAMES = ['𠮷', '𠮷磊', '阿卜杜·买买提', '·', 'Ａｌｉ', '🙂', '玛丽亚・伊万诺娃', "O'Brien"];
const id = (n: number) => {
  const first = `11010119900307${String(100 + n * 2).padStart(3, '0')}`;
  return first + idCheckCharacter(first);
};

for (const dialect of DIALECTS) {
  describe(`names without pinyin (${dialect})`, () => {
    let services: Services | undefined;
    afterEach(async () => {
      await services?.database.close();
      services = undefined;
    });

    for (const worker of [false, true]) {
      it(`import ${worker ? 'in the worker thread' : 'in place'}, with search keys`, async () => {
        services = await freshServices(dialect);
        await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
        const header = COLUMNS.residents.map(([c]) => c).join(',');
        const rows = NAMES.map(
          (name, n) => `${id(n)},"${name}",女,1990-03-07,H0000001,其他,本市,未婚,,,0,无,,有,否,0,`,
        );
        const dir = mkdtempSync(join(tmpdir(), 'tingjian-names-'));
        writeFileSync(join(dir, 'residents.csv'), `${header}\n${rows.join('\n')}\n`);
        const summary = await services.imports.importSnapshot(systemScope(), await openSource(dir), { worker });
        expect(summary.rejected).toEqual([]);
        expect(summary.tables.residents).toMatchObject({ inserted: NAMES.length });
        const stored = await services.database.db
          .selectFrom('resident')
          .select(['name', 'name_pinyin', 'name_initials'])
          .where(
            'id_number',
            'in',
            NAMES.map((_, n) => id(n)),
          )
          .execute();
        expect(stored.map((r) => r.name).sort()).toEqual([...NAMES].sort());
        for (const r of stored) {
          expect(r.name_pinyin, r.name).not.toBe('');
          expect(r.name_initials, r.name).not.toBe('');
        }
        const keys = Object.fromEntries(stored.map((r) => [r.name, [r.name_pinyin, r.name_initials]]));
        expect(keys['𠮷磊']).toEqual(['lei', 'l']);
        expect(keys['阿卜杜·买买提']).toEqual(['abudumaimaiti', 'abdmmt']);
        expect(keys['Ａｌｉ']).toEqual(['ali', 'a']);
      });
    }
  });
}
