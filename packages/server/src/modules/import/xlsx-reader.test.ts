/**
 * Workbooks are streamed sheet by sheet with exceljs's parsers over text decoded here: the same
 * rows as the whole-workbook reader, Chinese text whole across chunk boundaries (exceljs's own
 * streaming decodes each chunk apart), and the bounds of a zipped upload.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { TABLES } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { SAMPLE_XLSX } from '../../test/helpers.ts';
import { cellText, xlsxTables } from './xlsx-reader.ts';

async function readAll(path: string, limits = {}) {
  const tables = await xlsxTables(path, undefined, limits);
  const out: Record<string, { columns: string[]; rows: Array<[number, string[]]> }> = {};
  for (const [table, reader] of Object.entries(tables)) {
    const rows: Array<[number, string[]]> = [];
    for await (const batch of reader!.rows()) for (const r of batch) rows.push([r.line, r.values]);
    out[table] = { columns: await reader!.columns(), rows };
  }
  return out;
}

async function workbook(fill: (wb: ExcelJS.stream.xlsx.WorkbookWriter) => void): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'tj-xlsx-')), 'book.xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  fill(wb);
  await wb.commit();
  return path;
}

describe('streamed workbooks', () => {
  it('reads the sample workbook as the whole-workbook reader does', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(SAMPLE_XLSX);
    const expected: Record<string, { columns: string[]; rows: Array<[number, string[]]> }> = {};
    for (const table of TABLES) {
      const sheet = wb.getWorksheet(table);
      if (!sheet) continue;
      const columns = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => cellText(v).trim());
      const rows: Array<[number, string[]]> = [];
      for (let r = 2; r <= sheet.rowCount; r++) {
        const row = sheet.getRow(r);
        if (row.hasValues) rows.push([r, columns.map((_, c) => cellText(row.getCell(c + 1).value))]);
      }
      expected[table] = { columns, rows };
    }
    expect(await readAll(SAMPLE_XLSX)).toEqual(expected);
  });

  it('keeps Chinese text whole where the inflated chunks cut it, and reads dates as dates', async () => {
    const name = (i: number) => `欧阳志愿者${'张伟'.repeat(i % 7)}${i}`;
    const path = await workbook((wb) => {
      const ws = wb.addWorksheet('identity_tags');
      ws.addRow(['id_number', 'tag', 'when']).commit();
      for (let i = 0; i < 50_000; i++) {
        const row = ws.addRow([String(i), name(i), new Date(Date.UTC(2024, 0, 1 + (i % 300)))]);
        row.getCell(3).numFmt = 'yyyy-mm-dd';
        row.commit();
      }
      ws.commit();
    });
    const { identity_tags: t } = await readAll(path);
    expect(t!.columns).toEqual(['id_number', 'tag', 'when']);
    expect(t!.rows).toHaveLength(50_000);
    expect(t!.rows.filter(([, v], i) => v[1] !== name(i))).toEqual([]);
    expect(t!.rows[40]![1][2]).toBe('2024-02-10');
  }, 60_000);

  it('refuses a sheet past the row limit and a cell over 64 KiB, naming the sheet', async () => {
    const path = await workbook((wb) => {
      const ws = wb.addWorksheet('identity_tags');
      ws.addRow(['id_number', 'tag']).commit();
      for (let i = 0; i < 20; i++) ws.addRow([String(i), 'x']).commit();
      ws.addRow(['99', 'y'.repeat(70_000)]).commit();
      ws.commit();
    });
    const rows = await readAll(path, { maxRows: 10 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(rows).toBeInstanceOf(AppError);
    expect((rows as AppError).message).toMatch(/identity_tags.*10 行/);
    const cell = await readAll(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect((cell as AppError).message).toMatch(/identity_tags.*第 22 行.*64 KiB/);
  });

  it('refuses a workbook that is a zip bomb, or no zip at all', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(
      Buffer.from('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'),
      'xl/workbook.xml',
    );
    zip.addBuffer(Buffer.alloc(64 << 20, 0x20), 'xl/_rels/workbook.xml.rels');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const path = join(mkdtempSync(join(tmpdir(), 'tj-xlsx-')), 'bomb.xlsx');
    writeFileSync(path, Buffer.concat(chunks));
    const err = await xlsxTables(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as AppError).code).toBe('TJ_IMPORT_BAD_FILE');
    expect((err as AppError).message).toMatch(/workbook\.xml\.rels.*压缩比/);
    writeFileSync(path, 'not a workbook');
    expect(
      (
        (await xlsxTables(path).then(
          () => null,
          (e: unknown) => e,
        )) as AppError
      ).code,
    ).toBe('TJ_IMPORT_BAD_FILE');
  });
});
