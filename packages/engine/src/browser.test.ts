import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browser from './browser.ts';
import * as main from './index.ts';

// The bundle-level check (no roaring, no Node built-in) is packages/web/src/browser-entry.test.ts.
describe('entries', () => {
  it('exports everything of the browser entry from the main entry too, the same objects', () => {
    const names = Object.keys(browser);
    expect(names.length).toBeGreaterThan(40);
    for (const name of names)
      expect((main as Record<string, unknown>)[name], name).toBe((browser as Record<string, unknown>)[name]);
  });

  it('lists every name: no export *', () => {
    for (const file of ['index.ts', 'browser.ts']) {
      expect(readFileSync(join(import.meta.dirname, file), 'utf8'), file).not.toMatch(/export\s+(type\s+)?\*/);
    }
  });

  it('keeps the tag index out of the browser entry', () => {
    expect('TagIndex' in browser).toBe(false);
    expect('nameSearchKeys' in browser).toBe(false);
    expect(typeof main.TagIndex).toBe('function');
  });
});
