/** Reads a policy pack file (YAML) and checks it; the reference pack ships in policies/reference/. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { compilePack, PackError, type CompiledPack, type PackDef } from '@tingjian/engine';
import { AppError } from '../../errors.ts';

export const REFERENCE_PACK_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../../policies/reference/pack.yaml',
);

export function loadPackFile(path = REFERENCE_PACK_FILE): CompiledPack {
  let def: PackDef;
  try {
    def = parse(readFileSync(path, 'utf8')) as PackDef;
  } catch (err) {
    throw new AppError('TJ_CONFIG', `政策包 ${path} 无法读取：${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return compilePack(def);
  } catch (err) {
    if (err instanceof PackError) throw new AppError('TJ_CONFIG', `政策包 ${path} 有误：${err.message}`);
    throw err;
  }
}
