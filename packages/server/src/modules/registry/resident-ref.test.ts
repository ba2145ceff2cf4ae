import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase } from '../../test/helpers.ts';
import type { Database } from '../../db/database.ts';
import { loadResidentRefs, REF_SHAPE, RESIDENT_REF_SECRET_KEY, residentRefs } from './resident-ref.ts';

const ID = '31011219970724061X';
const OTHER = '310105196003177547';

/** Flips one bit of the decoded body at `byte` and re-encodes it. */
function flip(ref: string, byte: number): string {
  const body = Buffer.from(ref.slice(2), 'base64url');
  body[byte] = body[byte]! ^ 0x01;
  return `r.${body.toString('base64url')}`;
}

describe('resident refs', () => {
  const secret = randomBytes(32);
  const refs = residentRefs(secret);

  it('turns an id number into a ref and back', () => {
    const ref = refs.ref(ID);
    expect(ref).toMatch(REF_SHAPE);
    expect(ref).toHaveLength(64);
    expect(ref).not.toMatch(/\d{17}[\dXx]/);
    expect(ref).not.toContain(ID.slice(6, 14));
    expect(refs.open(ref)).toBe(ID);
    expect(refs.resolve(ref)).toBe(ID);
  });

  it('gives the same id the same ref, and different ids different refs', () => {
    expect(refs.ref(ID)).toBe(refs.ref(ID));
    // A second codec on the same secret (another node, a restart) agrees.
    expect(residentRefs(Buffer.from(secret)).ref(ID)).toBe(refs.ref(ID));
    expect(refs.ref(OTHER)).not.toBe(refs.ref(ID));
    // Ids that differ in the last character only still share no prefix beyond chance.
    expect(refs.ref('310105196003177540').slice(0, 10)).not.toBe(refs.ref('310105196003177541').slice(0, 10));
  });

  it('refuses a tampered ref, whatever part was changed', () => {
    const ref = refs.ref(ID);
    const length = Buffer.from(ref.slice(2), 'base64url').length;
    expect(length).toBe(12 + 18 + 16);
    for (let byte = 0; byte < length; byte++) expect(refs.open(flip(ref, byte)), `byte ${byte}`).toBeNull();
    expect(refs.open(ref.slice(0, -1))).toBeNull();
    expect(refs.open(`${ref}A`)).toBeNull();
    expect(refs.open(`x.${ref.slice(2)}`)).toBeNull();
    expect(refs.open('r.')).toBeNull();
    expect(refs.open('')).toBeNull();
    // The last character carries 2 spare bits: another spelling of the same bytes is not a ref.
    const last = ref.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(Buffer.from(ref.slice(2, -1) + sibling, 'base64url').equals(Buffer.from(ref.slice(2), 'base64url'))).toBe(
      true,
    );
    expect(refs.open(ref.slice(0, -1) + sibling)).toBeNull();
  });

  it('refuses a ref of another secret, and makes different refs under it', () => {
    const foreign = residentRefs(randomBytes(32));
    expect(foreign.ref(ID)).not.toBe(refs.ref(ID));
    expect(refs.open(foreign.ref(ID))).toBeNull();
    expect(foreign.open(refs.ref(ID))).toBeNull();
  });

  it("refuses a ciphertext made with the right key but a made-up IV (the IV must be the id's HMAC)", async () => {
    const { createCipheriv, hkdfSync } = await import('node:crypto');
    const k2 = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'tingjian.resident-ref.v1/enc', 32));
    const iv = Buffer.alloc(12, 7);
    const cipher = createCipheriv('aes-256-gcm', k2, iv);
    cipher.setAAD(Buffer.from('tingjian.resident-ref.v1'));
    const body = Buffer.concat([iv, cipher.update(ID), cipher.final(), cipher.getAuthTag()]);
    expect(refs.open(`r.${body.toString('base64url')}`)).toBeNull();
  });

  it('resolves id numbers as themselves (upper case) and nothing else', () => {
    expect(refs.resolve(ID.toLowerCase())).toBe(ID);
    expect(refs.resolve(OTHER)).toBe(OTHER);
    expect(refs.resolve('12345')).toBeNull();
    expect(refs.resolve(`${ID}0`)).toBeNull();
  });

  it('wants a 32-byte secret', () => {
    expect(() => residentRefs(randomBytes(16))).toThrow(RangeError);
  });
});

for (const dialect of DIALECTS) {
  describe(`the resident ref secret in meta (${dialect})`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await freshDatabase(dialect);
    });
    afterAll(async () => database.close());

    it('is created once, on first use, and read back by every later load', async () => {
      const before = await database.db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', RESIDENT_REF_SECRET_KEY)
        .executeTakeFirst();
      expect(before).toBeUndefined();
      // Two nodes starting at once agree.
      const [a, b] = await Promise.all([loadResidentRefs(database.db), loadResidentRefs(database.db)]);
      expect(a.ref(ID)).toBe(b.ref(ID));
      const stored = await database.db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', RESIDENT_REF_SECRET_KEY)
        .execute();
      expect(stored).toHaveLength(1);
      expect(Buffer.from(stored[0]!.value, 'base64')).toHaveLength(32);
      const later = await loadResidentRefs(database.db);
      expect(later.open(a.ref(ID))).toBe(ID);
    });

    it('refuses a damaged secret instead of making new refs', async () => {
      await database.db
        .updateTable('meta')
        .set({ value: 'c2hvcnQ=' })
        .where('key', '=', RESIDENT_REF_SECRET_KEY)
        .execute();
      await expect(loadResidentRefs(database.db)).rejects.toThrow(/居民引用密钥/);
    });
  });
}
