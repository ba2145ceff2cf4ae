/**
 * The needs assessment (assessment-framework.md): the framework evaluated over every household
 * on a date, cached per (date, data version), with figures per committee, street and district.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { assessPopulation, compileFramework, FrameworkError, isIsoDate, PackError, type Assessment, type CompiledFramework, type CompiledPack, type FrameworkDef } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import type { PopulationService } from '../population/population.service.ts';

export const DEFAULT_FRAMEWORK_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../policies/reference/assessment.yaml');

export function loadFrameworkFile(pack: CompiledPack, path = DEFAULT_FRAMEWORK_FILE): CompiledFramework {
  let def: FrameworkDef;
  try {
    def = parse(readFileSync(path, 'utf8')) as FrameworkDef;
  } catch (err) {
    throw new AppError('TJ_CONFIG', `评估框架 ${path} 无法读取：${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return compileFramework(def, pack);
  } catch (err) {
    if (err instanceof FrameworkError) throw new AppError('TJ_CONFIG', `评估框架 ${path} 有误：${err.message}`);
    throw err;
  }
}

export interface AssessmentEntry {
  readonly assessment: Assessment;
  readonly householdIds: readonly string[];
}

export class AssessmentService {
  private readonly cache = new Map<string, { version: number; value: Promise<AssessmentEntry> }>();

  constructor(readonly framework: CompiledFramework, private readonly pack: CompiledPack, private readonly population: PopulationService, private readonly dataVersion: () => number) {}

  assess(asOf: string): Promise<AssessmentEntry> {
    if (!isIsoDate(asOf)) throw new AppError('TJ_BAD_DATE', `日期 ${asOf} 不存在，应为 YYYY-MM-DD`);
    const version = this.dataVersion();
    const hit = this.cache.get(asOf);
    if (hit && hit.version === version) return hit.value;
    const value = (async () => {
      const { population } = await this.population.snapshot();
      try {
        return { assessment: assessPopulation(this.framework, this.pack, population, asOf), householdIds: population.householdIds };
      } catch (err) {
        if (err instanceof PackError) throw new AppError('TJ_OUTSIDE_PACK', `该日期不在政策包的适用期内：${err.message}`);
        throw err;
      }
    })();
    this.cache.set(asOf, { version, value });
    value.catch(() => { if (this.cache.get(asOf)?.value === value) this.cache.delete(asOf); });
    while (this.cache.size > 3) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }
}
