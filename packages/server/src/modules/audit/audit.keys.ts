/**
 * The key that signs audit checkpoints (Ed25519). It lives outside the database, in a PEM file
 * (TINGJIAN_AUDIT_KEY, default audit-key.pem next to the SQLite file): someone who can rewrite
 * the database but not read that file cannot forge a checkpoint over a rewritten chain. Created
 * with mode 0600 on the first start that finds none; back it up with the database — without it,
 * the checkpoints already written can no longer be checked.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../errors.ts';

export interface AuditKey {
  /** Where it was read from, for messages. */
  readonly path: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The first 16 hex digits of the SHA-256 of the public key (DER): to tell two keys apart in messages. */
  readonly fingerprint: string;
}

/** The configured path, else audit-key.pem beside the SQLite file, else ./data/audit-key.pem. */
export function auditKeyPath(
  database: { readonly dialect: string; readonly location: string },
  configured?: string,
): string {
  if (configured) return resolve(configured);
  if (database.dialect === 'sqlite' && database.location !== ':memory:')
    return join(dirname(resolve(database.location)), 'audit-key.pem');
  return resolve('./data/audit-key.pem');
}

/**
 * Where audit events kept while the writer is busy wait for it (audit.deferred.ts): beside the
 * SQLite file; none for an in-memory database or PostgreSQL (whose writers do not block reads).
 */
export function auditSpoolPath(database: { readonly dialect: string; readonly location: string }): string | undefined {
  if (database.dialect !== 'sqlite' || database.location === ':memory:') return undefined;
  return `${resolve(database.location)}.audit-pending`;
}

const code = (err: unknown) => (err as { code?: string } | null)?.code;
const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Reads the key, or creates it (mode 0600) when the file does not exist. */
export function loadAuditKey(path: string): AuditKey {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if (code(err) !== 'ENOENT')
      throw new AppError('TJ_CONFIG', `审计签名密钥 ${path} 无法读取（TINGJIAN_AUDIT_KEY）：${reason(err)}`);
    pem = createKeyFile(path);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new AppError('TJ_CONFIG', `审计签名密钥 ${path} 不是有效的 PEM 私钥（TINGJIAN_AUDIT_KEY）：${reason(err)}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AppError(
      'TJ_CONFIG',
      `审计签名密钥 ${path} 应为 Ed25519 私钥，实为 ${privateKey.asymmetricKeyType ?? '未知类型'}（TINGJIAN_AUDIT_KEY）`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const fingerprint = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
  return { path, privateKey, publicKey, fingerprint };
}

function createKeyFile(path: string): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, pem, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    // A link appears whole or not at all: two processes starting together keep the first key.
    linkSync(temporary, path);
    return pem;
  } catch (err) {
    if (code(err) === 'EEXIST') return readFileSync(path, 'utf8');
    throw new AppError('TJ_CONFIG', `无法创建审计签名密钥 ${path}（TINGJIAN_AUDIT_KEY）：${reason(err)}`);
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      /* not created */
    }
  }
}

export function signMessage(key: AuditKey, message: Buffer): string {
  return sign(null, message, key.privateKey).toString('base64');
}

export function verifyMessage(publicKey: KeyObject, message: Buffer, signature: string): boolean {
  try {
    return verify(null, message, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
