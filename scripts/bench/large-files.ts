import { PDFDocument, StandardFonts } from "pdf-lib";

// Large but legitimate files the event-loop benchmark and the tests upload (issue #10: a 5,000-page PDF and a
// 10 MB one-line text must be ingested without blocking the API).

const WORDS = ["fan", "hub", "cable", "reset", "firmware", "pairing", "battery", "sensor", "router", "display", "update", "warranty"];

/** A `pages`-page PDF, each page a few lines of distinct text (so no line looks like a running header). */
export async function manyPagesPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([300, 200]);
    const w = (k: number): string => WORDS[(i * 7 + k * 5) % WORDS.length]!;
    page.drawText(`Check the ${w(1)} before the ${w(2)}; then the ${w(3)} ${(i * 7919).toString(36)}.`, { x: 10, y: 150, size: 8, font });
    page.drawText(`The ${w(4)} and ${w(5)} step ${(i * 104729).toString(36)} is done.`, { x: 10, y: 120, size: 8, font });
  }
  return Buffer.from(await doc.save());
}

const PROSE = [
  "the", "fan", "controller", "resets", "when", "blue", "cable", "is", "unplugged", "and", "hub", "reboots", "twice",
  "firmware", "update", "pairing", "button", "light", "blinks", "battery", "sensor", "router", "display", "warranty",
  "press", "hold", "seconds", "until", "status", "turns", "green", "error", "code", "vent", "blocked", "clean", "filter",
];

/**
 * `bytes` of text on one line (no newline): sentences of words drawn by a fixed pseudo-random sequence with a running
 * number, so no two chunks are alike (repeated text would collapse into a few identical chunks).
 */
export function oneLineText(bytes: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  let seed = 12345;
  for (let n = 0; length < bytes; n++) {
    const words: string[] = [];
    for (let i = 0; i < 12; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      words.push(PROSE[seed % PROSE.length]!);
    }
    const sentence = `${words.join(" ")} ${n.toString(36)}. `;
    parts.push(sentence);
    length += sentence.length;
  }
  return Buffer.from(parts.join("").slice(0, bytes), "utf8");
}

