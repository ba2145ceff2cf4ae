import { afterEach, describe, expect, it } from 'vitest';
import { demoStoryIds } from '@tingjian/demo';
import { freshServices, SAMPLE_DIR } from '../../test/helpers.ts';
import type { Services } from '../../services.ts';
import { systemScope } from '../auth/scope.ts';
import { openSource } from '../import/sources.ts';

describe('the demo deployment', () => {
  let services: Services | undefined;
  afterEach(async () => {
    await services?.database.close();
    services = undefined;
  });

  it('seeds a population that imports without a rejected row, with the demo accounts', async () => {
    services = await freshServices('sqlite');
    const result = await services.demo.seed({ residents: 1500, asOf: '2026-11-28', password: 'demo-password-1' });
    expect(result.summary.rejectedRows).toBe(0);
    expect(result.summary.tables.residents!.inserted).toBeGreaterThanOrEqual(1500);
    expect(result.accounts.map((a) => a.username)).toEqual(
      expect.arrayContaining(['district', 'huayang', 'xinjing', 'adviser.310105001001']),
    );
    expect(result.accounts.filter((a) => a.role === 'adviser')).toHaveLength(189);
    const login = await services.auth.login('huayang', 'demo-password-1');
    expect(login.user.orgCode).toBe('310105001');
    expect(await services.demo.isDemo()).toBe(true);
    // The first story's man is in 华阳路街道 and found by his pinyin initials.
    const committees = services.org.committees().map((c) => ({ code: c.code, name: c.name }));
    const ids = demoStoryIds({ residents: 1500, asOf: '2026-11-28', committees });
    const found = await services.registry.list(login.user, { q: 'gjg', limit: 50, offset: 0, asOf: '2026-11-28' });
    expect(found.items.map((i) => services!.refs.open(i.ref))).toContain(ids.tekunMan);
  });

  it('refuses to put demo data or demo accounts into a database with real data', async () => {
    services = await freshServices('sqlite');
    await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
    await expect(services.demo.seed({ residents: 100, asOf: '2026-11-28' })).rejects.toMatchObject({
      code: 'TJ_FORBIDDEN',
    });
    expect(await services.demo.isDemo()).toBe(false);
  });
});
