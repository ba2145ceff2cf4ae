/**
 * The upload's answer is bounded and true: a committed import answers with its run, the first
 * rejected cells and the exact counts (the full report is a download for the importer and their
 * district admin), also when something fails after the commit; a refused file stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, sampleApi, TEST_PASSWORD, type SampleApi } from '../../test/helpers.ts';

const ACCOUNTS = [
  { username: 'district', role: 'district', orgCode: '310105' },
  { username: 'huayang', role: 'street', orgCode: '310105001' },
  { username: 'xinjing', role: 'street', orgCode: '310105102' },
] as const;

function multipart(filename: string, content: Buffer | string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----tingjian' + Math.random().toString(16).slice(2);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** GB18030 bytes of ASCII and a few characters. */
const GB: Record<string, number[]> = {
  志: [0xd6, 0xbe],
  愿: [0xd4, 0xb8],
  者: [0xd5, 0xdf],
  测: [0xb2, 0xe2],
  试: [0xca, 0xd4],
};
const gb18030 = (text: string) => Buffer.from([...text].flatMap((ch) => GB[ch] ?? [...Buffer.from(ch, 'latin1')]));

for (const dialect of DIALECTS) {
  describe(`import upload and report (${dialect})`, () => {
    let api: SampleApi;
    let cookies: Record<string, string>;
    let huayangPerson: string;
    beforeAll(async () => {
      api = await sampleApi(dialect, ACCOUNTS);
      cookies = {};
      for (const a of ACCOUNTS) {
        const res = await api.app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { username: a.username, password: TEST_PASSWORD },
        });
        cookies[a.username] = `tj_session=${res.cookies.find((c) => c.name === 'tj_session')!.value}`;
      }
      huayangPerson = (
        await api.services.database.db
          .selectFrom('resident')
          .select('id_number')
          .where('committee_code', 'like', '310105001%')
          .orderBy('id_number')
          .executeTakeFirstOrThrow()
      ).id_number;
    }, 120_000);
    afterAll(async () => api?.close());

    const upload = (user: string, filename: string, content: Buffer | string) => {
      const { payload, headers } = multipart(filename, content);
      return api.app.inject({
        method: 'POST',
        url: '/api/imports',
        payload,
        headers: { ...headers, cookie: cookies[user]! },
      });
    };
    const tags = async (id: string) =>
      (await api.services.database.db.selectFrom('identity_tag').select('tag').where('id_number', '=', id).execute())
        .map((r) => r.tag)
        .sort();

    it('answers with the first 1,000 rejected cells and the exact counts, not the whole report', async () => {
      const lines = Array.from({ length: 3_000 }, (_, i) => `bad${i},志愿者`);
      const res = await upload(
        'huayang',
        'identity_tags.csv',
        `id_number,tag\n${huayangPerson},新标签\n${lines.join('\n')}\n`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.rejected).toHaveLength(1_000);
      expect(body.rejected[0]).toMatchObject({ file: 'identity_tags.csv', line: 3, column: 'id_number' });
      expect([body.rejectedRows, body.rejectedCells, body.reportTruncated]).toEqual([3_000, 3_000, true]);
      expect(body.reportUrl).toBe(`/api/imports/${body.runId}/report.csv`);
      expect(body.reportCsv.trimEnd().split('\n')).toHaveLength(1_001);
      expect(body.tables.identity_tags).toMatchObject({ inserted: 1, rejected: 3_000 });
      expect(await tags(huayangPerson)).toContain('新标签');
    });

    it('gives the full report to the importer and their district admin only', async () => {
      const res = await upload('huayang', 'identity_tags.csv', `id_number,tag\nbad1,x\nbad2,y\n`);
      const { runId } = res.json();
      const get = (user: string | null, id = runId) =>
        api.app.inject({
          method: 'GET',
          url: `/api/imports/${id}/report.csv`,
          headers: user ? { cookie: cookies[user]! } : {},
        });
      const own = await get('huayang');
      expect(own.statusCode, own.body).toBe(200);
      expect(own.headers['content-type']).toMatch(/text\/csv/);
      expect(own.body).toBe(`\uFEFF${res.json().reportCsv}`);
      expect(own.body).toContain('identity_tags.csv,3,id_number,');
      expect((await get('district')).statusCode).toBe(200);
      const other = await get('xinjing');
      expect(other.statusCode).toBe(404);
      expect(other.json().error.code).toBe('TJ_NOT_FOUND');
      expect((await get(null)).statusCode).toBe(401);
      expect((await get('huayang', runId + 1000)).statusCode).toBe(404);
      // The report of 3,000 cells of the first test: all of them, where the answer had 1,000.
      const big = await get('district', runId - 1);
      expect(big.body.trimEnd().split('\n')).toHaveLength(3_001);
      expect(
        (await api.services.audit.recent(50)).some(
          (a) => a.action === 'import.report' && a.target === `import_run:${runId}`,
        ),
      ).toBe(true);
    });

    it('reads a GB18030 (GBK) file as such and notes it', async () => {
      const res = await upload('huayang', 'identity_tags.csv', gb18030(`id_number,tag\n${huayangPerson},测试志愿者\n`));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().notes.join('')).toMatch(/GB18030/);
      expect(await tags(huayangPerson)).toContain('测试志愿者');
    });

    it('refuses a zip bomb and an oversized field with a 400 naming the entry, storing nothing', async () => {
      const yazl = (await import('yazl')).default;
      const zip = new yazl.ZipFile();
      zip.addBuffer(Buffer.alloc(64 << 20, 0x2c), 'snap/identity_tags.csv');
      zip.end();
      const chunks: Buffer[] = [];
      for await (const c of zip.outputStream) chunks.push(c as Buffer);
      const before = await tags(huayangPerson);
      const bomb = await upload('huayang', 'snap.zip', Buffer.concat(chunks));
      expect(bomb.statusCode).toBe(400);
      expect(bomb.json().error).toMatchObject({ code: 'TJ_IMPORT_BAD_FILE' });
      expect(bomb.json().error.message).toMatch(/snap\.zip.*identity_tags\.csv/);
      const field = await upload(
        'huayang',
        'identity_tags.csv',
        `id_number,tag\n${huayangPerson},超长\n${huayangPerson},"${'长'.repeat(100_000)}"\n`,
      );
      expect(field.statusCode).toBe(400);
      expect(field.json().error.message).toMatch(/identity_tags\.csv 第 3 行.*64 KiB/);
      expect(await tags(huayangPerson)).toEqual(before);
    });
  });

  describe(`an import that fails after its commit (${dialect})`, () => {
    it('answers with the committed run, not a 500', async () => {
      const api = await sampleApi(dialect, [{ username: 'district', role: 'district', orgCode: '310105' }]);
      try {
        const login = await api.app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { username: 'district', password: TEST_PASSWORD },
        });
        const cookie = `tj_session=${login.cookies.find((c) => c.name === 'tj_session')!.value}`;
        const person = (
          await api.services.database.db
            .selectFrom('resident')
            .select('id_number')
            .orderBy('id_number')
            .executeTakeFirstOrThrow()
        ).id_number;
        api.services.imports.onChange(() => {
          throw new Error('派生数据重建失败');
        });
        const { payload, headers } = multipart('identity_tags.csv', `id_number,tag\n${person},提交后出错\nbad,x\n`);
        const res = await api.app.inject({
          method: 'POST',
          url: '/api/imports',
          payload,
          headers: { ...headers, cookie },
        });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body.runId).toBeGreaterThan(1);
        expect(body.tables.identity_tags).toMatchObject({ inserted: 1, rejected: 1 });
        expect(body.rejectedRows).toBe(1);
        expect(body.notes.join('')).toMatch(/已提交.*派生数据重建失败/);
        const stored = await api.services.database.db
          .selectFrom('identity_tag')
          .select('tag')
          .where('id_number', '=', person)
          .where('tag', '=', '提交后出错')
          .execute();
        expect(stored).toHaveLength(1);
      } finally {
        await api.close();
      }
    }, 120_000);
  });
}
