import type { Source } from "../../src/domain/answer.js";
import { ExtractiveComposer, type ExtractiveOptions } from "../../src/answer/extractive.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
import { VerifiedStream } from "../../src/answer/verified-stream.js";

/** Composes an extractive answer and verifies it against its sources, as the answer use case does. */
export async function composeVerified(
  question: string, sources: Source[], options: { language?: string; composer?: Partial<ExtractiveOptions> } = {},
): Promise<ReturnType<typeof verifyAnswer>> {
  const language = options.language ?? "en";
  const composed = await new ExtractiveComposer(options.composer).compose({ question, language, sources });
  return verifyAnswer(composed.text, sources, { language });
}

/**
 * Composes an extractive answer, verifies it, and streams the draft word by word through a VerifiedStream: the final
 * text and what the stream released, which must be the same.
 */
export async function composeAndStream(question: string, sources: Source[]): Promise<{ final: string; streamed: string }> {
  const draft = (await new ExtractiveComposer().compose({ question, language: "en", sources })).text;
  const final = verifyAnswer(draft, sources, { language: "en" }).text;
  const deltas: string[] = [];
  const stream = new VerifiedStream(sources, { language: "en" }, (d) => deltas.push(d));
  for (const piece of draft.match(/\S+\s*|\s+/g) ?? []) stream.push(piece);
  stream.finish(final);
  return { final, streamed: deltas.join("") };
}
