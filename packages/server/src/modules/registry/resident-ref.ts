/**
 * Opaque resident references: what lists hand out instead of id numbers. A ref is a
 * deterministic authenticated encryption of the id number (a synthetic IV, as in AES-SIV):
 *
 *   iv  = HMAC-SHA256(k1, idNumber)[0..12)
 *   ct, tag = AES-256-GCM(k2, iv, idNumber, aad = "tingjian.resident-ref.v1")
 *   ref = "r." + base64url(iv ‖ ct ‖ tag)            (64 characters for an 18-character id)
 *
 * The same id always gives the same ref (links and bookmarks stay valid, a list row can be
 * compared with a 360 view), the server turns it back into the id, and without the secret nobody
 * can do either: a changed character fails the GCM tag, and a ref whose IV is not the HMAC of its
 * own plaintext is refused as well. k1 and k2 come from one 32-byte secret by HKDF-SHA256; the
 * secret is generated on the first start and kept in the database's `meta` table, so every node
 * of one database makes and reads the same refs, and they survive restarts. A ref says nothing of
 * the caller's area: routes resolve it first, then apply the same area checks as to an id number.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';

/** The meta key of the secret (base64 of 32 random bytes). */
export const RESIDENT_REF_SECRET_KEY = 'resident_ref_secret';

export const REF_PREFIX = 'r.';
const VERSION = 'tingjian.resident-ref.v1';
const AAD = Buffer.from(VERSION, 'utf8');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ID_NUMBER = /^\d{17}[\dX]$/;
/** What a ref looks like (only the shape: whether it opens needs the secret). */
export const REF_SHAPE = /^r\.[A-Za-z0-9_-]{40,120}$/;

export interface ResidentRefs {
  /** The ref of an id number (upper-case X). */
  ref(idNumber: string): string;
  /** The id number in a ref, or null when it is not one of this database's refs. */
  open(ref: string): string | null;
  /**
   * A resident as a route receives it, an 18-digit id number or a ref, as an id number (upper
   * case); null for a ref that does not open or anything else.
   */
  resolve(idNumberOrRef: string): string | null;
}

/** The codec for a 32-byte secret. */
export function residentRefs(secret: Uint8Array): ResidentRefs {
  if (secret.length !== 32) throw new RangeError(`resident ref secret must be 32 bytes, got ${secret.length}`);
  const k1 = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `${VERSION}/iv`, 32));
  const k2 = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `${VERSION}/enc`, 32));
  const syntheticIv = (plain: Buffer) => createHmac('sha256', k1).update(plain).digest().subarray(0, IV_BYTES);
  // Deterministic: memoising is safe, and a page of a list often repeats people (leads of several policies).
  const cache = new Map<string, string>();

  const ref = (idNumber: string): string => {
    const hit = cache.get(idNumber);
    if (hit !== undefined) return hit;
    const plain = Buffer.from(idNumber, 'utf8');
    const iv = syntheticIv(plain);
    const cipher = createCipheriv('aes-256-gcm', k2, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(AAD);
    const body = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const out = REF_PREFIX + body.toString('base64url');
    if (cache.size >= 50_000) cache.clear();
    cache.set(idNumber, out);
    return out;
  };

  const open = (text: string): string | null => {
    if (!REF_SHAPE.test(text)) return null;
    const encoded = text.slice(REF_PREFIX.length);
    const body = Buffer.from(encoded, 'base64url');
    // One spelling per ref: no padding, no stray bits in the last character.
    if (body.toString('base64url') !== encoded || body.length <= IV_BYTES + TAG_BYTES) return null;
    const iv = body.subarray(0, IV_BYTES);
    const tag = body.subarray(body.length - TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', k2, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]);
    } catch {
      return null;
    }
    if (!timingSafeEqual(syntheticIv(plain), iv)) return null;
    const idNumber = plain.toString('utf8');
    return ID_NUMBER.test(idNumber) ? idNumber : null;
  };

  return {
    ref,
    open,
    resolve: (value) => {
      if (/^\d{17}[\dXx]$/.test(value)) return value.toUpperCase();
      return open(value);
    },
  };
}

/**
 * The database's codec: reads the secret from `meta`, creating it when there is none. Two nodes
 * starting at once both insert-if-absent and then read what is stored, so they agree.
 */
export async function loadResidentRefs(db: Kysely<DB>): Promise<ResidentRefs> {
  const read = async () =>
    (await db.selectFrom('meta').select('value').where('key', '=', RESIDENT_REF_SECRET_KEY).executeTakeFirst())?.value;
  let stored = await read();
  if (stored === undefined) {
    await db
      .insertInto('meta')
      .values({ key: RESIDENT_REF_SECRET_KEY, value: randomBytes(32).toString('base64') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    stored = await read();
  }
  const secret = Buffer.from(stored ?? '', 'base64');
  if (secret.length !== 32)
    throw new AppError(
      'TJ_CONFIG',
      `数据库 meta 表中的居民引用密钥（${RESIDENT_REF_SECRET_KEY}）不是 32 字节的 base64：无法生成或读取居民引用`,
    );
  return residentRefs(secret);
}
