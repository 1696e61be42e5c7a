import { countTokens } from "../../src/text/tokens.js";
import { ZipfSampler, mixSeed, mulberry32, shuffled, type Rng } from "./zipf.js";

/**
 * Deterministic synthetic support documentation: Markdown manuals shaped like the demo corpus (headings, prose,
 * numbered steps, error codes such as E-123, menu paths such as "Settings > Network > Wi-Fi") whose content words
 * follow a Zipf distribution over a large real word list. Like real manuals, documents have topics: each belongs to
 * one of a few hundred topics and draws about half of its content words from that topic's own vocabulary, so
 * documents on one topic share terms (without this, every chunk is an unrelated bag of words, which no real corpus
 * is and which makes nearest-neighbour search unrealistically hard). Document `i` depends only on (seed, i), so a
 * smaller benchmark size is exactly a prefix of a larger one and any document can be regenerated on demand.
 */
export interface CorpusOptions {
  seed: number;
  /** Content words; their frequency ranks are a seeded permutation of this list. */
  vocabulary: readonly string[];
  /** Zipf exponent of content words (default 1.05). */
  zipfExponent?: number;
  /** Zipf–Mandelbrot offset of content-word ranks (default 40: the most frequent content word is ~0.4% of them). */
  zipfOffset?: number;
  /** Number of topics (default 400). */
  topics?: number;
  /** Share of content words drawn from the document's topic (default 0.5). */
  topicShare?: number;
}

const TOPIC_WORDS = 120;

/** One generated document: its Markdown file and the plain section texts (for estimates and the reference). */
export interface SyntheticDoc {
  id: string;
  fileName: string;
  title: string;
  product: string;
  markdown: string;
  sections: Array<{ path: string[]; text: string }>;
  codes: string[];
  menus: string[][];
  goals: string[];
}

// Function words keep sentences prose-like; the analyzer drops most of them, as it does in real manuals.
const FUNCTION_WORDS = ["the", "the", "the", "a", "to", "and", "of", "your", "is", "in", "for", "with", "on", "it", "you", "can", "when", "or", "not", "this"];
const IMPERATIVES = ["Open", "Press", "Select", "Tap", "Check", "Connect", "Restart", "Hold", "Choose", "Enable", "Disable", "Remove", "Insert", "Update", "Reset"];
const MENU_ROOTS = ["Settings", "Account", "Devices", "Network", "Diagnostics", "Security", "Automations", "Support"];
const QUESTION_OPENERS = ["Why does", "What happens when", "How can I fix", "Is it normal that", "What should I do if"];

export class SyntheticCorpus {
  private readonly ranked: string[];
  private readonly zipf: ZipfSampler;
  private readonly products: string[];
  private readonly topics: string[][];
  private readonly topicZipf: ZipfSampler;
  private readonly topicShare: number;

  constructor(private readonly options: CorpusOptions) {
    if (options.vocabulary.length < 50) throw new RangeError(`vocabulary too small (${options.vocabulary.length} words, need 50)`);
    this.ranked = shuffled(options.vocabulary, mulberry32(mixSeed(options.seed, -1)));
    this.zipf = new ZipfSampler(this.ranked.length, options.zipfExponent ?? 1.05, options.zipfOffset ?? 40);
    const rng = mulberry32(mixSeed(options.seed, -2));
    this.products = Array.from({ length: 40 }, (_, i) => `${cap(this.rareWord(rng))} ${cap(this.rareWord(rng))} ${1 + (i % 9)}`);
    // Topic vocabularies come from below the head of the distribution: topical terms are specific, not ubiquitous.
    const head = Math.min(200, Math.floor(this.ranked.length / 4));
    this.topics = Array.from({ length: options.topics ?? 400 }, () =>
      Array.from({ length: TOPIC_WORDS }, () => this.ranked[head + Math.floor(rng() * (this.ranked.length - head))]!));
    this.topicZipf = new ZipfSampler(TOPIC_WORDS, 1, 2);
    this.topicShare = options.topicShare ?? 0.5;
  }

  /** A content word of `topic`: from its vocabulary with probability `topicShare`, else from the global distribution. */
  topicalWord(topic: number, rng: Rng): string {
    if (rng() < this.topicShare) return this.topics[topic]![this.topicZipf.sample(rng)]!;
    return this.word(rng);
  }

  /** The content word of frequency rank `r` (0 = most frequent). */
  wordAtRank(r: number): string {
    return this.ranked[r]!;
  }

  /** A content word drawn from the Zipf distribution. */
  word(rng: Rng): string {
    return this.ranked[this.zipf.sample(rng)]!;
  }

  private rareWord(rng: Rng): string {
    return this.ranked[Math.floor(this.ranked.length / 4 + rng() * (this.ranked.length * 3) / 4)]!;
  }

  /** Document `i` (0-based). */
  document(i: number): SyntheticDoc {
    const rng = mulberry32(mixSeed(this.options.seed, i));
    const topic = Math.floor(rng() * this.topics.length);
    const product = this.products[topic % this.products.length]!;
    const title = `${product} ${cap(this.topicalWord(topic, rng))} ${cap(this.topicalWord(topic, rng))} Guide`;
    const builder = new DocBuilder(this, rng, topic);
    const sectionCount = 4 + Math.floor(rng() * 7);
    for (let s = 0; s < sectionCount; s++) builder.section();
    const id = `doc-${String(i).padStart(7, "0")}`;
    const markdown = `---\nproduct: ${product}\nlanguage: en\n---\n\n# ${title}\n\n${builder.markdown.join("\n\n")}\n`;
    return { id, fileName: `${id}.md`, title, product, markdown, sections: builder.sections, codes: builder.codes, menus: builder.menus, goals: builder.goals };
  }

  /**
   * Question `j` about one of the first `docCount` documents: a procedure goal, an error code, a menu item or a
   * phrase from a sentence, phrased the way customers ask.
   */
  question(j: number, docCount: number): string {
    const rng = mulberry32(mixSeed(this.options.seed ^ 0x51ed27, j));
    const doc = this.document(Math.floor(rng() * docCount));
    const kind = Math.floor(rng() * 4);
    if (kind === 0 && doc.goals.length > 0) return `How do I ${pick(rng, doc.goals)} on the ${doc.product}?`;
    if (kind === 1 && doc.codes.length > 0) return `What does error ${pick(rng, doc.codes)} mean on my ${doc.product}?`;
    if (kind === 2 && doc.menus.length > 0) {
      const menu = pick(rng, doc.menus);
      return `Where do I find ${menu[menu.length - 1]} under ${menu[0]}?`;
    }
    const words = pick(rng, doc.sections).text.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}-]/gu, "")).filter((w) => w.length > 0);
    const start = Math.floor(rng() * Math.max(1, words.length - 7));
    return `${pick(rng, QUESTION_OPENERS)} ${words.slice(start, start + 4 + Math.floor(rng() * 4)).join(" ")}?`;
  }

  /** At least `count` distinct questions about the first `docCount` documents. */
  questions(count: number, docCount: number): string[] {
    const out = new Set<string>();
    for (let j = 0; out.size < count && j < count * 20; j++) out.add(this.question(j, docCount));
    return [...out];
  }
}

/** Rough chunk count of a document for the configured chunk size (sizes are chosen before anything is ingested). */
export function estimateChunks(doc: SyntheticDoc, maxTokens: number, overlapTokens: number): number {
  let n = 0;
  for (const s of doc.sections) n += Math.max(1, Math.ceil((countTokens(s.text) - overlapTokens) / (maxTokens - overlapTokens)));
  return n;
}

/** Builds one document's sections; kept separate so each section kind stays a short function. */
class DocBuilder {
  readonly markdown: string[] = [];
  readonly sections: Array<{ path: string[]; text: string }> = [];
  readonly codes: string[] = [];
  readonly menus: string[][] = [];
  readonly goals: string[] = [];

  constructor(private readonly corpus: SyntheticCorpus, private readonly rng: Rng, private readonly topic: number) {}

  section(): void {
    const heading = `${cap(this.w())} ${cap(this.w())}${this.rng() < 0.4 ? ` ${cap(this.w())}` : ""}`;
    const kind = this.rng();
    const body = kind < 0.45 ? this.prose(3 + Math.floor(this.rng() * 6)) : kind < 0.75 ? this.procedure() : kind < 0.9 ? this.errors() : this.longProse();
    this.markdown.push(`## ${heading}\n\n${body.markdown}`);
    this.sections.push({ path: [heading], text: body.text });
  }

  private w(): string {
    return this.corpus.topicalWord(this.topic, this.rng);
  }

  private code(): string {
    const code = `E-${100 + Math.floor(this.rng() * 900)}`;
    this.codes.push(code);
    return code;
  }

  private menu(): string {
    const path = [pick(this.rng, MENU_ROOTS), cap(this.w()), ...(this.rng() < 0.5 ? [cap(this.w())] : [])];
    this.menus.push(path);
    return path.join(" > ");
  }

  /** A sentence of 8–21 words, sometimes carrying an error code, a menu path or a duration. */
  sentence(): string {
    const n = 8 + Math.floor(this.rng() * 14);
    const words: string[] = [];
    for (let k = 0; k < n; k++) words.push(this.rng() < 0.38 ? pick(this.rng, FUNCTION_WORDS) : this.w());
    const extra = this.rng();
    if (extra < 0.08) words.push("error", this.code());
    else if (extra < 0.16) words.push("under", this.menu());
    else if (extra < 0.22) words.push("for", String(2 + Math.floor(this.rng() * 58)), "seconds");
    const s = words.join(" ");
    return `${cap(s)}.`;
  }

  private prose(sentences: number): { markdown: string; text: string } {
    const text = Array.from({ length: sentences }, () => this.sentence()).join(" ");
    return { markdown: text, text };
  }

  /** Several paragraphs: long enough to be split into two or three chunks. */
  private longProse(): { markdown: string; text: string } {
    const paragraphs = Array.from({ length: 3 + Math.floor(this.rng() * 3) }, () => this.prose(4 + Math.floor(this.rng() * 4)).text);
    return { markdown: paragraphs.join("\n\n"), text: paragraphs.join("\n\n") };
  }

  private procedure(): { markdown: string; text: string } {
    const goal = `${pick(this.rng, IMPERATIVES).toLowerCase()} the ${this.w()} ${this.w()}`;
    this.goals.push(goal);
    const steps = Array.from({ length: 3 + Math.floor(this.rng() * 6) }, (_, k) => {
      const detail = this.rng() < 0.35 ? `${this.menu()}` : `the **${cap(this.w())}** ${this.w()} ${this.w()}`;
      return `${k + 1}. ${pick(this.rng, IMPERATIVES)} ${detail}${this.rng() < 0.5 ? ` and ${this.w()} the ${this.w()}` : ""}.`;
    });
    const intro = `To ${goal}:`;
    const outro = this.sentence();
    const markdown = `${intro}\n\n${steps.join("\n")}\n\n${outro}`;
    return { markdown, text: `${intro}\n${steps.join("\n").replaceAll("**", "")}\n${outro}` };
  }

  private errors(): { markdown: string; text: string } {
    const rows = Array.from({ length: 2 + Math.floor(this.rng() * 4) }, () => `- **${this.code()}**: ${this.sentence()} ${pick(this.rng, IMPERATIVES)} the ${this.w()} ${this.w()}.`);
    return { markdown: rows.join("\n"), text: rows.join("\n").replaceAll("**", "").replaceAll("- ", "") };
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}
