/**
 * A sentence introducing what follows it: it ends in ":" or says "the following" / "as follows" ("You can change
 * it by the following."). The block after such a sentence is attached to it: quoting one without the other is useless.
 */
export const LEAD_IN = /(?:[:：]|\bthe following\b[^.!?\n]{0,40}[.:]?|\bas follows\b[.:]?)\s*$/i;
