/** Chinese name material: surnames weighted by their national frequency, gendered given-name characters. */
import type { Random } from './random.ts';

// Approximate shares (%) of the most common surnames (2020 census order); the tail is spread evenly.
export const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 7.1], ['李', 7.0], ['张', 6.8], ['刘', 5.4], ['陈', 4.5], ['杨', 3.1], ['黄', 2.3], ['赵', 2.2], ['吴', 2.0], ['周', 1.9],
  ['徐', 1.5], ['孙', 1.4], ['马', 1.3], ['朱', 1.3], ['胡', 1.2], ['郭', 1.1], ['何', 1.1], ['林', 1.0], ['高', 1.0], ['罗', 0.9],
  ['郑', 0.9], ['梁', 0.8], ['谢', 0.7], ['宋', 0.7], ['唐', 0.7], ['许', 0.6], ['韩', 0.6], ['邓', 0.6], ['冯', 0.6], ['曹', 0.5],
  ['彭', 0.5], ['曾', 0.5], ['肖', 0.5], ['田', 0.5], ['董', 0.4], ['潘', 0.4], ['袁', 0.4], ['蔡', 0.4], ['蒋', 0.4], ['余', 0.4],
  ['于', 0.4], ['杜', 0.4], ['叶', 0.4], ['程', 0.3], ['魏', 0.3], ['苏', 0.3], ['吕', 0.3], ['丁', 0.3], ['任', 0.3], ['卢', 0.3],
  ['姚', 0.3], ['沈', 0.3], ['钟', 0.3], ['姜', 0.3], ['崔', 0.3], ['谭', 0.3], ['陆', 0.3], ['范', 0.2], ['汪', 0.2], ['廖', 0.2],
  ['石', 0.2], ['金', 0.2], ['韦', 0.2], ['贾', 0.2], ['夏', 0.2], ['付', 0.2], ['方', 0.2], ['邹', 0.2], ['熊', 0.2], ['白', 0.2],
  ['孟', 0.2], ['秦', 0.2], ['邱', 0.2], ['侯', 0.2], ['江', 0.2], ['尹', 0.2], ['薛', 0.2], ['闫', 0.2], ['段', 0.2], ['雷', 0.2],
  ['顾', 0.2], ['毛', 0.2], ['龚', 0.1], ['邵', 0.1], ['钱', 0.1], ['严', 0.1], ['单', 0.05], ['欧阳', 0.05], ['诸葛', 0.01],
];

const MALE = '伟强磊军勇杰涛明超刚平辉鹏华飞建国俊浩宇博文斌志成林峰海波东晨阳振凯龙坤健永德庆荣春生'.split('');
const FEMALE = '芳娜敏静丽艳娟霞秀英兰玲萍燕红梅琳婷雪慧颖倩洁晶佳怡欣悦月珍凤琴桂云莉丹璐瑶萱彤'.split('');
const NEUTRAL = '文明华林安宁佳子雨晓嘉思一心新永'.split('');

export function personName(rng: Random, gender: '男' | '女', surname?: string): string {
  const s = surname ?? rng.weighted(SURNAMES);
  const pool = gender === '男' ? MALE : FEMALE;
  const first = rng.chance(0.2) ? rng.pick(NEUTRAL) : rng.pick(pool);
  return rng.chance(0.3) ? s + first : s + first + rng.pick(pool);
}

export function surnameOf(rng: Random): string {
  return rng.weighted(SURNAMES);
}
