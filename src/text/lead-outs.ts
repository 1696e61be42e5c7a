/**
 * Sentence ends that introduce an example set below them, shared by the loaders (a block after such a sentence is kept
 * with it, see ingest/loaders/lead-in.ts) and the extractive composer (what follows such a sentence is quoted with it,
 * line by line when it is a block, see src/answer/extractive-lines.ts). Regex sources, to be placed before `\s*$`.
 */

/**
 * "…a boot loader appropriate for UEFI machines, for example" / "e.g." / "such as" / "for instance" / "namely", with an
 * optional comma or colon; Chinese and Japanese 例如 / 比如 / 譬如 / 例えば. The example itself (a file name, a command,
 * a code block) is on the lines after.
 */
export const EXAMPLE_END = String.raw`(?:\b(?:for\s+(?:example|instance)|e\.\s?g\.|such\s+as|namely)|例如|比如|譬如|例えば)[,，:：]?`;

/**
 * A sentence presenting what follows: "Here is another example for a dhcp.conf using the PXE method." / "Below are
 * the settings." — from the start of the sentence (text start, a line start or after a full stop), a full stop
 * inside a word ("dhcp.conf") allowed.
 */
export const PRESENTING_SENTENCE = String.raw`(?:^|\n|[.!?]\s+)(?:here|below)\s+(?:is|are)\b(?:[^.!?\n]|\.(?=\S))*[.:]?`;
