import { describe, expect, it } from 'vitest';
import { ApiError, errorFromResponse, errorMessage } from './client.ts';
import { buildQuery } from './query.ts';

describe('query strings', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(buildQuery({ q: '张', org: undefined, ageMin: 0, gender: null, hukou: '', limit: 20 })).toBe(
      '?q=%E5%BC%A0&ageMin=0&limit=20',
    );
    expect(buildQuery({ q: '  ' })).toBe('');
    expect(buildQuery({ q: ' wl ' })).toBe('?q=wl');
  });
});

describe('errors from the server', () => {
  it("carry the server's code and message", () => {
    const e = errorFromResponse(
      404,
      JSON.stringify({ error: { code: 'TJ_RESIDENT_NOT_FOUND', message: '在您的辖区内找不到该居民', details: null } }),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(404);
    expect(e.code).toBe('TJ_RESIDENT_NOT_FOUND');
    expect(errorMessage(e)).toBe('在您的辖区内找不到该居民');
  });

  it('explain a body that is not ours', () => {
    expect(errorFromResponse(502, '<html>Bad Gateway</html>').message).toContain('HTTP 502');
    expect(errorFromResponse(404, 'Not Found').code).toBe('TJ_NOT_FOUND');
    expect(errorFromResponse(418, '').message).toContain('418');
  });
});
