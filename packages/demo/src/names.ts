/**
 * Chinese personal names for the demo population. Surnames are drawn by frequency and given names
 * by generation and gender, because that is what a civil-affairs worker recognises at a glance: an
 * 85-year-old woman called 金娣 or 秀英, a 45-year-old man called 伟 or 建华, a child called 梓涵.
 */
import { Rng, Weighted } from './random.ts';

/**
 * Common surnames with rough relative frequencies (per 10,000). The ranking follows Shanghai's
 * registered population, where 陈, 张, 王, 徐, 朱, 沈, 陆 and 顾 are more frequent than the national
 * order suggests; precision does not matter, only that 王 is common and 郁 rare.
 */
const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['张', 620],
  ['王', 610],
  ['陈', 600],
  ['李', 450],
  ['徐', 360],
  ['朱', 330],
  ['周', 320],
  ['沈', 300],
  ['刘', 290],
  ['陆', 270],
  ['顾', 250],
  ['吴', 250],
  ['黄', 240],
  ['杨', 230],
  ['金', 200],
  ['孙', 190],
  ['钱', 160],
  ['胡', 160],
  ['蒋', 150],
  ['姚', 140],
  ['潘', 130],
  ['赵', 130],
  ['曹', 120],
  ['马', 120],
  ['施', 120],
  ['袁', 110],
  ['唐', 110],
  ['蔡', 110],
  ['许', 110],
  ['严', 100],
  ['俞', 100],
  ['龚', 90],
  ['宋', 90],
  ['倪', 90],
  ['范', 80],
  ['邱', 80],
  ['汪', 80],
  ['丁', 80],
  ['杜', 70],
  ['郁', 50],
  ['高', 70],
  ['何', 70],
  ['林', 70],
  ['郭', 60],
  ['程', 60],
  ['叶', 60],
  ['戴', 60],
  ['卢', 50],
  ['谢', 50],
  ['秦', 50],
  ['毛', 50],
  ['方', 50],
  ['邵', 50],
  ['夏', 50],
  ['韩', 50],
  ['冯', 50],
  ['罗', 50],
  ['梁', 40],
  ['葛', 40],
  ['殷', 40],
  ['薛', 40],
  ['邹', 40],
  ['孔', 30],
  ['侯', 30],
  ['任', 30],
  ['魏', 30],
  ['傅', 30],
  ['翁', 30],
  ['瞿', 20],
  ['浦', 20],
  ['郑', 60],
  ['史', 30],
];
const surnames = new Weighted(SURNAMES);

export function pickSurname(rng: Rng): string {
  return surnames.pick(rng);
}

interface GivenNamePool {
  /** Probability of a one-character given name. */
  readonly single: number;
  readonly singles: string;
  readonly firsts: string;
  readonly seconds: string;
}

type Era = 'old' | 'mid' | 'young' | 'new';

/**
 * Character pools by birth cohort. One-character names were most common among people born in
 * the 1960s-1980s (伟, 敏, 静); elders born before 1955 mostly have two characters, often with
 * generational or old-Shanghai endings (娣, 宝, 根); children born after 2000 carry the 轩/涵/萱 wave.
 */
const POOLS: Readonly<Record<Era, { male: GivenNamePool; female: GivenNamePool }>> = {
  old: {
    male: {
      single: 0.15,
      singles: '明华强林勇刚斌荣',
      firsts: '建国志永德福金根兴文学宝忠荣家光长',
      seconds: '国华明平民生林荣宝根发祥康海兴忠才良富昌',
    },
    female: {
      single: 0.12,
      singles: '英珍兰芳娟萍琴',
      firsts: '秀桂凤玉美金素月菊彩惠丽爱巧根',
      seconds: '英珍兰芳娣华妹琴芬宝凤娟梅仙萍',
    },
  },
  mid: {
    male: {
      single: 0.35,
      singles: '伟军勇强斌刚峰俊杰敏华明',
      firsts: '建国志伟卫海晓军红立春明永忠新小文东',
      seconds: '华平明军强东伟民峰勇斌刚荣林忠良',
    },
    female: {
      single: 0.35,
      singles: '敏静丽红燕萍娟霞芳琳',
      firsts: '丽美红秀玉海晓春雪小卫建素慧文',
      seconds: '华萍芳红英娟敏霞琴燕丽珍梅蓉静',
    },
  },
  young: {
    male: {
      single: 0.3,
      singles: '磊杰斌超鹏涛浩俊晨昊',
      firsts: '俊浩家子天晓志文伟佳嘉一晨宇思建',
      seconds: '杰伟斌磊俊浩宇豪涛超辉明峰鹏凯晨',
    },
    female: {
      single: 0.3,
      singles: '婷静洁琳倩颖蕾雯',
      firsts: '佳丽晓雯思文欣雅婷诗静一嘉颖梦晨',
      seconds: '婷雯静怡琳洁颖慧倩燕霞蕾君敏丹琪',
    },
  },
  new: {
    male: {
      single: 0.12,
      singles: '睿航泽宇辰昊',
      firsts: '子浩宇梓俊一皓铭博奕嘉天思雨晨煜辰',
      seconds: '轩然涵泽宇辰豪杰睿航铭博阳恒逸',
    },
    female: {
      single: 0.12,
      singles: '妍萱琪悦瑶彤',
      firsts: '欣梓诗子雨思可一语若佳静心雅紫',
      seconds: '怡涵琪萱彤妍诺瑶悦晴菲然宁曦',
    },
  },
};

function eraOf(birthYear: number): Era {
  if (birthYear < 1955) return 'old';
  if (birthYear < 1980) return 'mid';
  if (birthYear < 2000) return 'young';
  return 'new';
}

function pickChar(rng: Rng, chars: string): string {
  return chars[Math.floor(rng.next() * chars.length)]!;
}

/** A given name of one or two characters fitting the birth year and gender. */
export function pickGivenName(rng: Rng, birthYear: number, male: boolean): string {
  const era = POOLS[eraOf(birthYear)];
  const pool = male ? era.male : era.female;
  if (rng.chance(pool.single)) return pickChar(rng, pool.singles);
  const first = pickChar(rng, pool.firsts);
  let second = pickChar(rng, pool.seconds);
  // Reduplicated names (婷婷, 丽丽) exist but mostly as nicknames; avoid them in the registry.
  if (second === first) second = pickChar(rng, pool.seconds);
  if (second === first) second = pool.seconds[0] === first ? pool.seconds[1]! : pool.seconds[0]!;
  return first + second;
}

export function pickName(rng: Rng, surname: string, birthYear: number, male: boolean): string {
  return surname + pickGivenName(rng, birthYear, male);
}
