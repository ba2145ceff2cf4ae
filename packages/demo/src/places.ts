/**
 * Where the demo's people come from and where they live: the region codes in their id numbers,
 * street addresses on real roads of 长宁区, and phone numbers.
 */
import { Rng, Weighted } from './random.ts';

/**
 * Region codes (first six id digits) of people born or first registered in Shanghai. 长宁
 * (310105) dominates; the rest are neighbouring and large districts people moved from. 310103
 * (卢湾, merged into 黄浦 in 2011) and 310108 (闸北, merged into 静安 in 2015) no longer exist but
 * stay in the id numbers of everyone registered there before, as real registries show.
 */
export const SHANGHAI_REGIONS: ReadonlyArray<readonly [string, number]> = [
  ['310105', 62],
  ['310104', 6],
  ['310101', 4],
  ['310103', 2],
  ['310106', 4],
  ['310108', 2],
  ['310107', 5],
  ['310109', 3],
  ['310110', 3],
  ['310112', 4],
  ['310113', 2],
  ['310115', 3],
];

/**
 * Region codes elsewhere in China, weighted towards the provinces most of Shanghai's migrants come
 * from (安徽, 江苏, 河南, 浙江, 江西, 四川 lead the census tables).
 */
export const PROVINCIAL_REGIONS: ReadonlyArray<readonly [string, number]> = [
  ['340104', 8],
  ['341204', 7],
  ['340322', 5],
  ['320102', 4],
  ['320321', 5],
  ['320583', 3],
  ['410102', 5],
  ['411302', 4],
  ['330102', 3],
  ['330302', 3],
  ['360102', 4],
  ['510104', 4],
  ['500101', 3],
  ['430102', 3],
  ['420102', 3],
  ['370102', 2],
  ['350102', 2],
  ['230102', 1],
  ['220102', 1],
  ['610102', 1],
  ['130102', 1],
  ['450102', 1],
  ['520102', 1],
  ['620102', 1],
];

/** Every region code the generator may put in an id number (the id allocator indexes them). */
export const ALL_REGION_CODES: readonly string[] = [...SHANGHAI_REGIONS, ...PROVINCIAL_REGIONS].map(([c]) => c);

const shanghaiRegions = new Weighted(SHANGHAI_REGIONS);
const provincialRegions = new Weighted(PROVINCIAL_REGIONS);

export function pickShanghaiRegion(rng: Rng): string {
  return shanghaiRegions.pick(rng);
}

export function pickProvincialRegion(rng: Rng): string {
  return provincialRegions.pick(rng);
}

/** Roads of each 长宁 street (9-digit code), for addresses that look right to people who work there. */
const ROADS_BY_STREET: Readonly<Record<string, readonly string[]>> = {
  '310105001': ['华阳路', '长宁路', '安化路', '定西路', '镇宁路', '万航渡路', '延安西路', '凯旋路', '武夷路'],
  '310105002': ['江苏路', '愚园路', '武定西路', '长宁路', '宣化路', '利西路', '镇宁路'],
  '310105004': ['新华路', '番禺路', '法华镇路', '幸福路', '定西路', '安顺路', '延安西路', '淮海西路'],
  '310105005': ['长宁路', '中山西路', '万航渡路', '长宁支路', '凯旋路', '汇川路'],
  '310105006': ['天山路', '娄山关路', '遵义路', '茅台路', '玉屏南路', '中山西路'],
  '310105008': ['仙霞路', '茅台路', '威宁路', '水城路', '虹古路', '安龙路'],
  '310105009': ['虹桥路', '古北路', '延安西路', '伊犁路', '荣华东道', '虹许路'],
  '310105010': ['虹桥路', '哈密路', '程家桥路', '虹井路', '剑河路'],
  '310105011': ['天山西路', '哈密路', '剑河路', '金钟路', '北翟路', '泉口路', '双流路'],
  '310105102': ['淮阴路', '协和路', '北虹路', '福泉路', '天山西路', '平塘路', '金钟路'],
};
const OTHER_ROADS = ['人民路', '解放路', '建设路', '中山路', '和平路', '新村路', '胜利路', '光明路'];

/**
 * Streets of old lane housing (石库门, 新式里弄) and pre-1990 public flats, where homes are small and
 * public tenancy (公房) is common; the outer streets have more 1990s-2000s commodity housing.
 */
const OLD_HOUSING_STREETS = new Set(['310105001', '310105002', '310105004', '310105005']);

export function isOldHousingStreet(streetCode: string): boolean {
  return OLD_HOUSING_STREETS.has(streetCode);
}

/** An address such as 长宁路1035弄12号603室, on a road of the committee's street. */
export function pickAddress(rng: Rng, committeeCode: string, tinyHome: boolean): string {
  const roads = ROADS_BY_STREET[committeeCode.slice(0, 9)] ?? OTHER_ROADS;
  const road = rng.pick(roads);
  const lane = rng.int(1, 160) * 5 + rng.int(0, 4);
  // Lane houses and 1980s walk-ups have six floors at most; a third of homes are in high-rises.
  const highRise = !tinyHome && rng.chance(0.3);
  const floor = highRise ? rng.int(2, 28) : rng.int(1, 6);
  const room = `${floor}0${rng.int(1, highRise ? 8 : 4)}`;
  if (tinyHome && rng.chance(0.5)) return laneRoom(rng, road, lane);
  return `${road}${lane}弄${rng.int(1, 60)}号${room}室`;
}

/** A room of an old lane house (石库门): 亭子间 (over the kitchen), 前楼, 三层阁 (the attic)... */
function laneRoom(rng: Rng, road: string, lane: number): string {
  return `${road}${lane}弄${rng.int(1, 120)}号${rng.pick(['前楼', '后楼', '亭子间', '灶披间', '三层阁'])}`;
}

/** The address of a room in an old lane house on a road of the committee's street. */
export function pickLaneRoomAddress(rng: Rng, committeeCode: string): string {
  return laneRoom(
    rng,
    rng.pick(ROADS_BY_STREET[committeeCode.slice(0, 9)] ?? OTHER_ROADS),
    rng.int(1, 160) * 5 + rng.int(0, 4),
  );
}

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '177',
  '180',
  '181',
  '182',
  '183',
  '186',
  '187',
  '188',
  '189',
  '199',
];

function digits(rng: Rng, n: number): string {
  return String(rng.int(0, 10 ** n - 1)).padStart(n, '0');
}

/**
 * A contact number, or null. Young children have none; many of the oldest are reached on the
 * family's landline (021 and eight digits; 长宁 numbers begin with 5 or 6); a few records lack one.
 */
export function pickPhone(rng: Rng, age: number): string | null {
  if (age < 12) return null;
  if (rng.chance(age >= 80 ? 0.12 : 0.03)) return null;
  if (age >= 75 && rng.chance(0.45)) return `021-${rng.pick(['5', '6'])}${digits(rng, 7)}`;
  return rng.pick(MOBILE_PREFIXES) + digits(rng, 8);
}
