/**
 * The demo deployment: a synthetic 长宁 population on the real committees (engine's generator),
 * written as an exchange-format snapshot and imported through the ordinary import path, plus the
 * demo accounts. Demo accounts exist only in a database marked as a demo.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoPopulation } from '@tingjian/demo';
import { COLUMNS, TABLES, type TableName } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { csvLine } from '../../csv.ts';
import { nowIso } from '../../clock.ts';
import type { UserRepository } from '../auth/auth.repository.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { systemScope, type Role } from '../auth/scope.ts';
import type { ImportProgress, ImportService, ImportSummary } from '../import/import.service.ts';
import { csvFolderSource } from '../import/sources.ts';
import type { OrgService } from '../org/org.service.ts';
import type { MetaRepository } from './meta.repository.ts';

export interface DemoSeedOptions {
  residents: number;
  asOf: string;
  seed?: number;
  password?: string;
  onProgress?: (p: ImportProgress) => void;
}

export interface DemoSeedResult {
  summary: ImportSummary;
  accounts: Array<{ username: string; role: Role; orgCode: string; displayName: string }>;
  password: string;
  passwordGenerated: boolean;
}

export class DemoService {
  constructor(
    private readonly meta: MetaRepository,
    private readonly users: UserRepository,
    private readonly imports: ImportService,
    private readonly org: OrgService,
  ) {}

  async isDemo(): Promise<boolean> {
    return (await this.meta.get('demo')) === 'true';
  }

  async registryIsEmpty(): Promise<boolean> {
    return this.meta.registryIsEmpty();
  }

  /** Writes the demo population as a CSV snapshot folder (streaming: constant memory at 1M). */
  async writeSnapshot(
    dir: string,
    options: { residents: number; asOf: string; seed?: number },
  ): Promise<Record<TableName, number>> {
    const committees = this.org.committees().map((c) => ({ code: c.code, name: c.name }));
    const streams = Object.fromEntries(
      TABLES.map((t) => {
        const s = createWriteStream(join(dir, `${t}.csv`));
        s.write(`${COLUMNS[t].map(([c]) => c).join(',')}\n`);
        return [t, s];
      }),
    ) as Record<TableName, ReturnType<typeof createWriteStream>>;
    const counts = Object.fromEntries(TABLES.map((t) => [t, 0])) as Record<TableName, number>;
    const gen = generateDemoPopulation({
      residents: options.residents,
      asOf: options.asOf,
      seed: options.seed,
      committees,
    });
    for (const rec of gen) {
      const row = rec.row as unknown as Record<string, string | number | null>;
      const ok = streams[rec.table].write(`${csvLine(COLUMNS[rec.table].map(([c]) => row[c]))}\n`);
      counts[rec.table]++;
      if (!ok) await once(streams[rec.table], 'drain');
    }
    await Promise.all(
      TABLES.map(
        (t) =>
          new Promise<void>((resolve, reject) =>
            streams[t].end((err?: Error | null) => (err ? reject(err) : resolve())),
          ),
      ),
    );
    return counts;
  }

  /** Seeds an empty database with the demo population and accounts. */
  async seed(options: DemoSeedOptions): Promise<DemoSeedResult> {
    if (!(await this.meta.registryIsEmpty()) && !(await this.isDemo())) {
      throw new AppError('TJ_FORBIDDEN', '数据库已有真实数据：演示数据只能生成在空数据库或演示数据库中');
    }
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-demo-'));
    let summary: ImportSummary;
    try {
      await this.writeSnapshot(dir, options);
      summary = await this.imports.importSnapshot(systemScope(), csvFolderSource(dir), {
        onProgress: options.onProgress,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await this.meta.set('demo', 'true');
    const password = options.password ?? generatePassword();
    const accounts = await this.createAccounts(password);
    return { summary, accounts, password, passwordGenerated: options.password === undefined };
  }

  private async createAccounts(password: string): Promise<DemoSeedResult['accounts']> {
    const county = this.org.county || (this.org.committees()[0]?.code.slice(0, 6) ?? '');
    const named = (code: string) => this.org.get(code)?.name ?? code;
    const wanted: DemoSeedResult['accounts'] = [
      { username: 'district', role: 'district', orgCode: county, displayName: `${named(county)}民政局` },
    ];
    // The demo deployment is 长宁区: 华阳路街道 and 新泾镇 get the named accounts of the issue (found by name in the county).
    for (const [username, name] of [
      ['huayang', '华阳路街道'],
      ['xinjing', '新泾镇'],
    ] as const) {
      const street = this.org.childrenOf(county).find((u) => u.level === 'street' && u.name === name);
      if (street)
        wanted.push({ username, role: 'street', orgCode: street.code, displayName: `${street.name}社会救助` });
    }
    for (const c of this.org.committees(county)) {
      wanted.push({
        username: `adviser.${c.code}`,
        role: 'adviser',
        orgCode: c.code,
        displayName: `${c.name.replace(/社区居委会$|居委会$|居民委员会$/, '')}救助顾问`,
      });
    }
    // One hash for all: every demo account has the same password, and 190 scrypt runs would
    // make seeding take many seconds for nothing.
    const hash = await hashPassword(password);
    const created: DemoSeedResult['accounts'] = [];
    for (const a of wanted) {
      if (await this.users.find(a.username)) continue;
      await this.users.insert({
        username: a.username,
        display_name: a.displayName,
        password_hash: hash,
        role: a.role,
        org_code: a.orgCode,
        created_at: nowIso(),
      });
      created.push(a);
    }
    return created;
  }
}
