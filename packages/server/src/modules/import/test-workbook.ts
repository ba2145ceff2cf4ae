/**
 * Test fixtures: a workbook written directly as the XML of its parts (inline strings, no styles),
 * fast enough for a hundred thousand rows; and a CSV snapshot folder turned into one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import yazl from 'yazl';

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function column(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The bytes of an .xlsx with one sheet per entry of `sheets` (rows of text; the first row is the
 * header). `shared`: text in a shared-strings table, as Excel writes it, else inline strings.
 */
export async function workbookBytes(sheets: Record<string, string[][]>, shared = true): Promise<Buffer> {
  const names = Object.keys(sheets);
  const zip = new yazl.ZipFile();
  const strings = new Map<string, number>();
  const cell = (ref: string, v: string) => {
    if (!shared) return `<c r="${ref}" t="inlineStr"><is><t>${xml(v)}</t></is></c>`;
    let i = strings.get(v);
    if (i === undefined) strings.set(v, (i = strings.size));
    return `<c r="${ref}" t="s"><v>${i}</v></c>`;
  };
  zip.addBuffer(
    Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>${names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`),
    '[Content_Types].xml',
  );
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    '_rels/.rels',
  );
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names.map((n, i) => `<sheet name="${xml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    ),
    'xl/workbook.xml',
  );
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
    ),
    'xl/_rels/workbook.xml.rels',
  );
  names.forEach((name, i) => {
    const parts: string[] = [
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    ];
    sheets[name]!.forEach((row, r) => {
      parts.push(`<row r="${r + 1}">`);
      row.forEach((v, c) => {
        if (v !== '') parts.push(cell(`${column(c)}${r + 1}`, v));
      });
      parts.push('</row>');
    });
    parts.push('</sheetData></worksheet>');
    zip.addBuffer(Buffer.from(parts.join('')), `xl/worksheets/sheet${i + 1}.xml`);
  });
  if (shared) {
    const si = [...strings.keys()].map((v) => `<si><t xml:space="preserve">${xml(v)}</t></si>`).join('');
    zip.addBuffer(
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.size}" uniqueCount="${strings.size}">${si}</sst>`,
      ),
      'xl/sharedStrings.xml',
    );
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The tables of a CSV snapshot folder as a workbook, and the number of rows in it. */
export async function folderWorkbook(dir: string): Promise<{ bytes: Buffer; rows: number }> {
  const sheets: Record<string, string[][]> = {};
  let rows = 0;
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.csv'))
    .sort()) {
    const data = Papa.parse<string[]>(readFileSync(join(dir, f), 'utf8'), { skipEmptyLines: true }).data;
    sheets[f.replace(/\.csv$/, '')] = data;
    rows += data.length - 1;
  }
  return { bytes: await workbookBytes(sheets), rows };
}
