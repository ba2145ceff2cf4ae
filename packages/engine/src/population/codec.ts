/**
 * The population columns as one binary image, so that a restart (or a command) reads a few tens
 * of megabytes instead of millions of rows: reading 1M residents row by row costs seconds, the
 * image a fraction of one. Layout: "TJPOP1", a little-endian u32 header length, a JSON header
 * listing the sections (name, element type, offset, length), then each section's bytes at an
 * 8-byte-aligned offset. Typed arrays come back as copies of their section; string lists are
 * stored newline-joined in UTF-8. Written here rather than with a general serialiser because the
 * format is nothing but aligned typed arrays and a few string lists.
 */
import {
  CODED_FACTS,
  lazyLookup,
  sortedLookup,
  type CodedFact,
  type PeriodList,
  type Population,
} from './population.ts';

const MAGIC = 'TJPOP1';
type Kind = 'i32' | 'u16' | 'u8' | 'f64' | 'text';
interface Section {
  name: string;
  kind: Kind;
  offset: number;
  length: number;
}
type Typed = Int32Array | Uint16Array | Uint8Array | Float64Array;

const CTORS = { i32: Int32Array, u16: Uint16Array, u8: Uint8Array, f64: Float64Array } as const;

export function encodePopulation(p: Population, meta: Record<string, string | number> = {}): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Array<{ name: string; kind: Kind; bytes: Uint8Array; length: number }> = [];
  const typed = (name: string, kind: Exclude<Kind, 'text'>, a: Typed) =>
    parts.push({ name, kind, bytes: new Uint8Array(a.buffer, a.byteOffset, a.byteLength), length: a.length });
  const text = (name: string, list: readonly string[]) => {
    const bytes = encoder.encode(list.join('\n'));
    parts.push({ name, kind: 'text', bytes, length: list.length });
  };
  text('ids', p.ids);
  typed('birth', 'i32', p.birth);
  typed('household', 'i32', p.household);
  for (const name of Object.keys(CODED_FACTS) as CodedFact[]) typed(`coded:${name}`, 'u8', p.coded[name]);
  typed('disabilityGrade', 'u8', p.disabilityGrade);
  typed('income', 'f64', p.income);
  typed('medical', 'f64', p.medical);
  typed('ableSupporter', 'u8', p.ableSupporter);
  text('householdIds', p.householdIds);
  typed('householdCommittee', 'u16', p.householdCommittee);
  typed('housingArea', 'f64', p.housingArea);
  typed('assets', 'f64', p.assets);
  text('committees', p.committees);
  typed('memberStart', 'i32', p.memberStart);
  typed('memberIndex', 'i32', p.memberIndex);
  for (const [code, list] of p.enrollments) {
    typed(`enrollment:${code}:person`, 'i32', list.person);
    typed(`enrollment:${code}:start`, 'i32', list.start);
    typed(`enrollment:${code}:end`, 'i32', list.end);
  }
  for (const [tag, list] of p.identityTags) typed(`identity:${tag}`, 'i32', list);

  let offset = 0;
  const sections: Section[] = parts.map((part) => {
    const s = {
      name: part.name,
      kind: part.kind,
      offset,
      length: part.kind === 'text' ? part.bytes.length : part.length,
    };
    offset += Math.ceil(part.bytes.length / 8) * 8;
    return s;
  });
  const header = encoder.encode(JSON.stringify({ n: p.n, meta, sections }));
  const bodyStart = Math.ceil((MAGIC.length + 4 + header.length) / 8) * 8;
  const out = new Uint8Array(bodyStart + offset);
  out.set(encoder.encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
  out.set(header, MAGIC.length + 4);
  parts.forEach((part, k) => out.set(part.bytes, bodyStart + sections[k]!.offset));
  return out;
}

/** Reads an image back; throws on anything that is not one (the caller then rebuilds from rows). */
export function decodePopulation(bytes: Uint8Array): { population: Population; meta: Record<string, string | number> } {
  const decoder = new TextDecoder();
  if (decoder.decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) throw new Error('not a population image');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const header = JSON.parse(decoder.decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength))) as {
    n: number;
    meta: Record<string, string | number>;
    sections: Section[];
  };
  const bodyStart = Math.ceil((MAGIC.length + 4 + headerLength) / 8) * 8;
  const byName = new Map(header.sections.map((s) => [s.name, s]));
  const section = (name: string): Section => {
    const s = byName.get(name);
    if (!s) throw new Error(`population image lacks ${name}`);
    return s;
  };
  const typedOf = <K extends Exclude<Kind, 'text'>>(s: Section): InstanceType<(typeof CTORS)[K]> => {
    const Ctor = CTORS[s.kind as K];
    const start = bytes.byteOffset + bodyStart + s.offset;
    // Copy into a fresh, aligned buffer (the image's own buffer may start at any offset).
    return new Ctor(
      (bytes.buffer as ArrayBuffer).slice(start, start + s.length * Ctor.BYTES_PER_ELEMENT),
    ) as InstanceType<(typeof CTORS)[K]>;
  };
  const arr = <T extends Typed>(name: string) => typedOf(section(name)) as unknown as T;
  const text = (name: string): string[] => {
    const s = section(name);
    if (s.length === 0) return [];
    return decoder.decode(bytes.subarray(bodyStart + s.offset, bodyStart + s.offset + s.length)).split('\n');
  };
  const ids = text('ids');
  const householdIds = text('householdIds');
  const coded = {} as Record<CodedFact, Uint8Array>;
  for (const name of Object.keys(CODED_FACTS) as CodedFact[]) coded[name] = arr<Uint8Array>(`coded:${name}`);
  const enrollments = new Map<string, PeriodList>();
  const identityTags = new Map<string, Int32Array>();
  for (const s of header.sections) {
    const m = /^enrollment:(.+):person$/.exec(s.name);
    if (m)
      enrollments.set(m[1]!, {
        person: arr(`enrollment:${m[1]}:person`),
        start: arr(`enrollment:${m[1]}:start`),
        end: arr(`enrollment:${m[1]}:end`),
      });
    if (s.name.startsWith('identity:')) identityTags.set(s.name.slice('identity:'.length), arr(s.name));
  }
  const population: Population = {
    n: header.n,
    ids,
    indexOf: sortedLookup(ids),
    birth: arr('birth'),
    household: arr('household'),
    coded,
    disabilityGrade: arr('disabilityGrade'),
    income: arr('income'),
    medical: arr('medical'),
    ableSupporter: arr('ableSupporter'),
    householdIds,
    householdIndex: lazyLookup(householdIds),
    householdCommittee: arr('householdCommittee'),
    housingArea: arr('housingArea'),
    assets: arr('assets'),
    committees: text('committees'),
    memberStart: arr('memberStart'),
    memberIndex: arr('memberIndex'),
    enrollments,
    identityTags,
  };
  if (population.ids.length !== header.n) throw new Error('population image is damaged (id count)');
  return { population, meta: header.meta };
}
