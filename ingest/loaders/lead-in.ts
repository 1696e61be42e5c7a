import { EXAMPLE_END, PRESENTING_SENTENCE } from "../../src/text/lead-outs.js";

/**
 * A sentence introducing what follows it: it ends in ":" or says "the following" / "as follows" ("You can change
 * it by the following."), or in Chinese names what follows with 下列 / 下面 / 如下 / 以下 in its last clause and
 * ends in "。" ("然后，使用下列命令来配置所有部分安装的软件包。"); or it ends on "for example", "e.g.", "such as" before the
 * example, or presents it ("Here is an example …", see src/text/lead-outs.ts). The block after such a sentence is attached to it:
 * quoting one without the other is useless.
 */
export const LEAD_IN = new RegExp(
  String.raw`(?:[:：]|\bthe following\b[^.!?\n]{0,40}[.:]?|\bas follows\b[.:]?|(?:下列|下面|如下|以下)[^。！？；\n]{0,40}[。]?|${EXAMPLE_END}|${PRESENTING_SENTENCE})\s*$`,
  "iu",
);
