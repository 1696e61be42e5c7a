/**
 * A small hand-written Chinese valence lexicon for customer-support messages (no maintained npm package offers one).
 * Scale as AFINN: -5 (very negative) to +5. Words are matched longest first, so "不错" (good) is not read as
 * "不" + "错". Extend it with words seen in real tickets; keep entries specific to avoid matching inside other words.
 */
export const ZH_VALENCE: ReadonlyMap<string, number> = new Map([
  // positive
  ["谢谢", 2], ["感谢", 2], ["多谢", 2], ["满意", 2], ["很好", 2], ["不错", 2], ["好用", 2], ["方便", 1], ["喜欢", 2],
  ["解决了", 2], ["搞定", 2], ["可以了", 1], ["好了", 1], ["成功", 2], ["太棒", 3], ["棒", 2], ["完美", 3], ["专业", 2],
  ["耐心", 2], ["及时", 1], ["顺利", 2], ["正常了", 2], ["赞", 2], ["给力", 2], ["开心", 2], ["高兴", 2],
  // negative
  ["失望", -2], ["不满", -2], ["不满意", -3], ["生气", -3], ["愤怒", -4], ["气死", -4], ["恼火", -3], ["烦", -2], ["烦死", -3],
  ["郁闷", -2], ["无语", -2], ["受够", -3], ["垃圾", -3], ["太差", -3], ["很差", -3], ["差劲", -3], ["糟糕", -3], ["糟透", -4],
  ["离谱", -3], ["坑人", -3], ["骗子", -4], ["欺骗", -4], ["骗人", -4], ["恶心", -3], ["无法接受", -3], ["不能接受", -3],
  ["坏了", -2], ["故障", -1], ["失败", -2], ["不能用", -2], ["用不了", -2], ["没反应", -2], ["断线", -1], ["掉线", -1],
  ["卡顿", -1], ["死机", -2], ["重复扣费", -3], ["扣了两次", -3], ["乱扣", -3], ["投诉", -2], ["浪费", -2], ["折腾", -2],
  ["麻烦", -1], ["担心", -1], ["着急", -2], ["崩溃", -3], ["退款", -1], ["危险", -3],
  ["起火", -3], ["冒烟", -3], ["烧焦", -3], ["触电", -3],
]);

/** Words that flip the valence of a lexicon word starting within two characters after them. */
export const ZH_NEGATORS: readonly string[] = ["不", "没", "没有", "别", "未", "无", "并不", "不太"];

/** Words that strengthen the lexicon word right after them. */
export const ZH_INTENSIFIERS: readonly string[] = ["非常", "特别", "十分", "极其", "超级", "太", "很", "真", "好", "实在", "简直"];
