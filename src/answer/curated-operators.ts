import { analyze, normalizeText } from "../text/analyzer.js";
import { isQuestionStopword } from "../text/stopwords.js";
import { zhWordSegmenter } from "../text/zh-segmenter.js";

/**
 * Words that turn a question into its opposite while keeping every other word: negators ("not", "without", "不")
 * and verbs that reverse, end or prevent what the rest of the question names ("cancel the pairing", "stop the
 * update", "取消配对"). They are closed classes of the language, like stop words — not the words of any test: a
 * question that *adds* one of them to a curated question asks something the curated answer does not say, unless
 * that answer uses the word itself ("Press Back to cancel pairing" does answer "How do I cancel the pairing?").
 *
 * Left out on purpose: verbs that only say how a question is asked ("find", "fix", "check", "select", "change",
 * "get"), which paraphrases add all the time, and "reset", which the tv-manual paraphrases use for the same request
 * ("Can I reset the sound?"); see `npm run eval-curated`.
 */
const NEGATORS = new Set(
  "no not never without none nothing nobody neither nor cannot cant unable dont doesnt didnt isnt arent wont shouldnt".split(" "),
);
const REVERSERS = new Set(
  (
    "cancel undo stop abort revert revoke withdraw remove delete erase clear disable deactivate disconnect uninstall " +
    "unsubscribe unlink unregister unblock block prevent avoid exit quit end pause suspend turn-off switch-off " +
    "forget discard reject refuse"
  ).split(" "),
);
/**
 * Chinese negators, matched as whole segments of the word segmenter ("无" alone, never inside "无线", wireless), and
 * reversing verbs, matched as substrings (two characters each; Chinese has no spaces).
 */
const ZH_NEGATORS = new Set(["不", "没", "没有", "别", "不要", "不能", "无法", "未", "勿"]);
const ZH_REVERSERS = ["取消", "撤销", "停止", "关闭", "删除", "移除", "解除", "禁用", "阻止", "退出", "清除", "暂停", "忘记", "断开", "卸载", "退订"];
/** Prefixes that make a word the reverse of its stem ("unpair", "disconnect", "deregister"). */
const REVERSING_PREFIX = /^(un|dis|de|non)(\p{L}{4,})$/u;

const stemmed = (word: string): string[] => analyze(word, { keepStopwords: true });
const hasZhNegator = (text: string): boolean => [...zhWordSegmenter().segment(text)].some((s) => ZH_NEGATORS.has(s.segment));

/** The question's words, lower case, with apostrophes dropped ("doesn't" → "doesnt") and "turn off" joined. */
function latinWords(text: string): string[] {
  return normalizeText(text)
    .replace(/['’]/g, "")
    .replace(/\b(turn|switch)\s+off\b/g, "$1-off")
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w.length > 0);
}

/**
 * The operators of `asked` that `curatedText` (the curated question and answer) does not use: a negator when the
 * curated text has none, a reversing verb whose stem it lacks, a word with a reversing prefix whose rest it uses
 * while not using the word ("unpair" against "pair"), and the Chinese counterparts. Empty: nothing was added that
 * reverses the question.
 */
export function unsupportedOperators(asked: string, curatedQuestion: string, curatedAnswer: string): string[] {
  const curatedText = `${curatedQuestion}\n${curatedAnswer}`;
  const curatedWords = latinWords(curatedText);
  const curatedStems = new Set([...analyze(curatedText, { keepStopwords: true }), ...curatedWords]);
  // Answers say "not" all the time ("if the LED does not blink"); only a negated curated *question* asks the negation.
  const curatedHasNegator = latinWords(curatedQuestion).some((w) => NEGATORS.has(w)) || hasZhNegator(curatedQuestion);
  const uses = (word: string): boolean => curatedStems.has(word) || stemmed(word).some((s) => curatedStems.has(s));
  const found: string[] = [];
  const words = latinWords(asked);
  for (const [i, word] of words.entries()) {
    if (found.includes(word)) continue;
    if (NEGATORS.has(word)) {
      // "I don't know about X", "I don't want to …" negate the asking, not what is asked.
      const asking = isQuestionStopword(words[i + 1] ?? "");
      if (!curatedHasNegator && !asking) found.push(word);
    } else if (REVERSERS.has(word)) {
      if (!uses(word)) found.push(word);
    } else {
      const m = REVERSING_PREFIX.exec(word);
      if (m && !uses(word) && uses(m[2]!)) found.push(word);
    }
  }
  for (const w of ZH_REVERSERS) if (asked.includes(w) && !curatedText.includes(w)) found.push(w);
  if (!curatedHasNegator && hasZhNegator(asked)) found.push("不");
  return found;
}
