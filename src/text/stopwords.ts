/**
 * Stop words dropped from BM25 terms and local embeddings. Kept short on purpose: words such as "off", "on",
 * "up", "down" carry meaning in device manuals ("turn off", "volume up") and stay searchable.
 */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have having he her hers him his " +
    "how i if in into is it its itself just me my myself of or our ours she should so some such than that the their theirs " +
    "them then there these they this those to too very was we were what when where which while who whom why will with " +
    "would you your yours yourself about also any each may might must shall us get got i'm it's can't don't doesn't " +
    "please thanks thank hi hello"
  ).split(" "),
);

/**
 * Chinese function words and question fillers. Besides being dropped, they split a CJK run for the character-bigram
 * leg, so "怎么发给家长" yields no junk bigrams such as "么发" or "给家".
 */
export const CHINESE_STOPWORDS: ReadonlySet<string> = new Set(
  (
    "的 了 是 吗 呢 吧 啊 呀 么 和 与 及 或 在 我 你 您 他 她 它 我们 你们 他们 这 那 这个 那个 这些 那些 怎么 怎样 如何 " +
    "什么 为什么 哪里 哪个 可以 能 能否 是否 请问 一下 有 没有 就 都 也 还 要 会 把 被 让 给 从 到 对 吗？ 啥 咋 嘛 哦 " +
    "您好 你好 谢谢 请"
  ).split(" "),
);

/**
 * Words that ask rather than describe: dropped from questions only (never from indexed text, where they may be part
 * of a heading such as "I Want to Reset the TV"). Removing them keeps "Please explain how to …" from matching every
 * section that happens to "explain" something.
 */
export const QUESTION_STOPWORDS: ReadonlySet<string> = new Set(
  (
    "explain explained describe tell instruct instruction instructions procedure provide know want need able am way " +
    "possible anyone someone kindly 哪 " +
    "怎么办 怎么回事 怎么样 哪些 有哪些 哪几种 几种 在哪 在哪儿 在哪里 哪儿 为啥 是不是 有没有 能不能 可不可以 什么样 吗？ " +
    // "When", "which day", "what time" and "myself" ask as "when" and "my" do in English; "是在" is "is (at)".
    "什么时候 何时 哪天 哪一天 哪一 几点 是在 自己 " +
    // "How many" with its measure word ("需要几块网卡", "几个"), and the "办" the segmenter leaves of "怎么办".
    "几 几个 几块 几台 几次 几位 办"
  ).split(" "),
);

export function isStopword(token: string): boolean {
  return ENGLISH_STOPWORDS.has(token) || CHINESE_STOPWORDS.has(token);
}

/** Whether a question word carries no topic of its own (see {@link QUESTION_STOPWORDS}). */
export function isQuestionStopword(token: string): boolean {
  return QUESTION_STOPWORDS.has(token);
}

/**
 * Every way a long filler word (seven letters or more) reads after one slip (see {@link isMisspelledFiller}): each
 * letter left out, each pair of neighbours swapped, and each letter replaced by "?" (a wrong letter matches the key
 * with "?" at its place). Built once, so a question word is checked with a few set look-ups.
 */
const FILLER_SLIPS: ReadonlySet<string> = new Set(
  [...ENGLISH_STOPWORDS, ...QUESTION_STOPWORDS]
    .filter((w) => /^[a-z]{7,}$/.test(w))
    .flatMap((w) => [...w].flatMap((_, i) => [w.slice(0, i) + w.slice(i + 1), `${w.slice(0, i)}?${w.slice(i + 1)}`, ...(i + 1 < w.length ? [w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)] : [])])),
);

/**
 * Whether a question word is a long filler word typed with one slip — a letter left out, two neighbouring letters
 * swapped or one letter wrong ("posible", "somone", "expalin"). Read as the filler it stands for, it is dropped from the
 * question; kept, it was a term no document contains, and the question looked like one about something the documents
 * never name. A letter added is not counted: that is mostly another word ("provider", "explains" are not slips).
 */
export function isMisspelledFiller(word: string): boolean {
  if (word.length < 6 || ENGLISH_STOPWORDS.has(word) || QUESTION_STOPWORDS.has(word) || !/^[a-z]+$/.test(word)) return false;
  if (FILLER_SLIPS.has(word)) return true;
  for (let i = 0; i < word.length; i++) if (FILLER_SLIPS.has(`${word.slice(0, i)}?${word.slice(i + 1)}`)) return true;
  return false;
}
