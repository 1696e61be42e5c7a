import { CJK_CHARS } from "./cjk.js";
import { zhWordSegmenter } from "./zh-segmenter.js";
import { isQuestionStopword, isStopword } from "./stopwords.js";

const CJK_RUN_RE = new RegExp(`[${CJK_CHARS}]+`, "gu");

/** A character bigram of a question that straddles two of the segmenter's words, and the terms written beside it. */
export interface CjkBridge {
  term: string;
  /** The bigrams just before and after it, and the words of two or more characters it touches. */
  neighbours: string[];
}

/**
 * The bigrams of a Chinese or Japanese question that straddle two segmenter words ("要几" of "需要|几", "统里" of
 * "系统|里", "区满" of "分|区|满了"). The analyzer keeps such bigrams for recall — the segmenter splits "网卡", "分区"
 * or "路由器" into single characters, and their bigrams are then the only terms that find them — but where they join
 * two words no manual writes them, and counted as words the documents never use they made a question in the manual's
 * own words look like one about something else (`queryEvidence`'s unseen share): "LTSP 服务器需要几块网卡？" was refused
 * beside a page saying "LTSP 服务器……需要两个网卡". `queryEvidence` passes over an unseen bridge whose neighbour is
 * seen (it joins a known word to the next); a run of unseen bigrams ("路由", "由器") still counts.
 */
export function cjkBridges(question: string): CjkBridge[] {
  const out: CjkBridge[] = [];
  for (const m of question.normalize("NFKC").matchAll(CJK_RUN_RE)) {
    let stretch: string[] = [];
    for (const seg of zhWordSegmenter().segment(m[0])) {
      if (isStopword(seg.segment) || isQuestionStopword(seg.segment)) {
        out.push(...stretchBridges(stretch));
        stretch = [];
      } else stretch.push(seg.segment);
    }
    out.push(...stretchBridges(stretch));
  }
  return out;
}

function stretchBridges(words: readonly string[]): CjkBridge[] {
  const text = words.join("");
  // Which word each character belongs to, and where words start.
  const owner: number[] = [];
  words.forEach((w, i) => {
    for (let k = 0; k < w.length; k++) owner.push(i);
  });
  const bigram = (i: number): string | undefined => (i >= 0 && i + 1 < text.length ? text.slice(i, i + 2) : undefined);
  const out: CjkBridge[] = [];
  for (let i = 0; i + 1 < text.length; i++) {
    if (owner[i] === owner[i + 1]) continue;
    const touched = [words[owner[i]!]!, words[owner[i + 1]!]!].filter((w) => w.length > 1);
    const neighbours = [bigram(i - 1), bigram(i + 1), ...touched].filter((t): t is string => t !== undefined);
    out.push({ term: text.slice(i, i + 2), neighbours });
  }
  return out;
}
