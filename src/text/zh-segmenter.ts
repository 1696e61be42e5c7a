/**
 * The Chinese word segmenter, made on first use and shared: constructing the first one loads ICU's word dictionary
 * (~11 ms of CPU), which three modules did at import, so every process start paid it, Chinese text or not. A
 * segmenter keeps no state between `segment` calls, so one serves every caller.
 */
let segmenter: Intl.Segmenter | undefined;

export function zhWordSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter("zh", { granularity: "word" });
  return segmenter;
}
