/**
 * The import template, and a table without all its columns: the template downloads as the
 * exchange format's sheets with Chinese notes, a filled copy imports as it is, and a residents.csv
 * missing its columns is refused before a row is read, naming them, with nothing stored changed.
 */
import { COLUMNS, TABLES } from '@tingjian/engine';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, sampleApi, type SampleApi } from '../../test/helpers.ts';

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

for (const dialect of DIALECTS) {
  describe(`the import template and incomplete headers (${dialect})`, () => {
    let api: SampleApi;
    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'huayang', role: 'street', orgCode: '310105001' },
        { username: 'adviser', role: 'adviser', orgCode: '310105001001' },
      ]);
    }, 120_000);
    afterAll(async () => api?.close());
    const upload = (filename: string, content: Buffer | string) => {
      const { payload, headers } = multipart(filename, content);
      return api.app.inject({
        method: 'POST',
        url: '/api/imports',
        payload,
        headers: { ...headers, cookie: cookieOf('huayang') },
      });
    };
    let cookies: Record<string, string> = {};
    const cookieOf = (user: string) => cookies[user]!;
    beforeAll(async () => {
      cookies = {};
      for (const username of ['huayang', 'adviser']) {
        const res = await api.app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { username, password: 'correct horse battery' },
        });
        cookies[username] = `tj_session=${res.cookies.find((c) => c.name === 'tj_session')!.value}`;
      }
    });

    it("downloads a sheet per table with the format's column names, Chinese notes and text-formatted ids", async () => {
      const res = await api.call('huayang', 'GET', '/api/imports/template.xlsx');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', ...TABLES]);
      for (const table of TABLES) {
        const ws = wb.getWorksheet(table)!;
        expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(COLUMNS[table].map(([c]) => c));
        expect(String(ws.getRow(1).getCell(1).note ?? '')).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(wb.getWorksheet('residents')!.getColumn(1).numFmt).toBe('@');
      const guide = wb.getWorksheet('说明')!;
      expect(guide.rowCount).toBe(3 + TABLES.reduce((n, t) => n + COLUMNS[t].length, 0));

      // Filled in and sent back, it imports as it is: one household and its resident.
      wb.removeWorksheet(guide.id);
      wb.getWorksheet('households')!.addRow(['TPL-0001', '310105001001', '模板路 1 号', '自有', '', '']);
      wb.getWorksheet('residents')!.addRow([
        '110101199003070011',
        '模板用户',
        '男',
        '1990-03-07',
        'TPL-0001',
        '户主',
        '本市',
        '未婚',
        '',
        '',
        '',
        '在职',
        '',
        '有',
        '否',
        '',
        '',
      ]);
      for (const t of ['relations', 'enrollments', 'identity_tags']) wb.removeWorksheet(wb.getWorksheet(t)!.id);
      const filled = Buffer.from(await wb.xlsx.writeBuffer());
      const imported = await upload('filled.xlsx', filled);
      expect(imported.statusCode, imported.body).toBe(200);
      expect(imported.json().tables, JSON.stringify(imported.json().rejected)).toMatchObject({
        households: { inserted: 1 },
        residents: { inserted: 1 },
      });
      expect(imported.json().rejectedRows).toBe(0);
    });

    it('is not offered to an adviser, who cannot import', async () => {
      expect((await api.call('adviser', 'GET', '/api/imports/template.xlsx')).statusCode).toBe(403);
      expect((await api.call(null, 'GET', '/api/imports/template.xlsx')).statusCode).toBe(401);
    });

    it('refuses a table without all its columns before reading a row, naming them', async () => {
      const person = await api.services.database.db
        .selectFrom('resident')
        .selectAll()
        .where('committee_code', 'like', '310105001%')
        .orderBy('id_number')
        .executeTakeFirstOrThrow();
      const res = await upload('residents.csv', `id_number,name\n${person.id_number},改了名字\n`);
      expect(res.statusCode, res.body).toBe(400);
      const error = res.json().error as { code: string; message: string };
      expect(error.code).toBe('TJ_IMPORT_BAD_FILE');
      const missing = COLUMNS.residents.map(([c]) => c).filter((c) => c !== 'id_number' && c !== 'name');
      expect(error.message).toContain(`residents.csv 的表头缺少 ${missing.length} 列`);
      for (const c of missing) expect(error.message).toContain(c);
      const after = await api.services.database.db
        .selectFrom('resident')
        .selectAll()
        .where('id_number', '=', person.id_number)
        .executeTakeFirstOrThrow();
      expect(after).toEqual(person);
    });
  });
}
