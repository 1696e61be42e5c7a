import mammoth from "mammoth";
import type { LoadedDocument } from "../../src/domain/document.js";
import { UnsupportedDocumentError } from "../../src/errors.js";
import { loadHtml } from "./html.js";
import { DEFAULT_LOADER_LIMITS, type LoaderLimits } from "./limits.js";
import { fileLabel, type LoaderInput } from "./normalize.js";
import { checkZip } from "./zip-guard.js";

/** MIME type of Word's Open XML documents. */
export const DOCX_FORMAT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** Word's code-like paragraph styles become <pre>, so commands stay verbatim (and attached to their lead-in). */
const STYLE_MAP = [
  "p[style-name='Code'] => pre:separator('\\n')",
  "p[style-name='Source Code'] => pre:separator('\\n')",
  "p[style-name='HTML Preformatted'] => pre:separator('\\n')",
  "p[style-name='Plain Text'] => pre:separator('\\n')",
  // LibreOffice's code style (a Writer document, or a web page converted by LibreOffice).
  "p[style-name='Preformatted Text'] => pre:separator('\\n')",
];

/**
 * DOCX via mammoth: the archive is checked first (entries inflated with a cap: a zip bomb is refused before mammoth
 * unpacks anything), then converted to HTML (Heading 1..6 → h1..h6, tables, lists, code styles → pre) and read by the
 * HTML loader, so headings become section paths, tables header + row units and code blocks stay with their lead-in.
 * @throws UnsupportedDocumentError for a corrupt or non-Word zip, a zip over `limits.maxInflatedBytes`, no text
 */
export async function loadDocx(bytes: Buffer, input: LoaderInput, limits: LoaderLimits = DEFAULT_LOADER_LIMITS): Promise<LoadedDocument> {
  const file = fileLabel(input);
  const entries = checkZip(bytes, file, limits);
  if (!entries.some((e) => e.name === "word/document.xml")) throw new UnsupportedDocumentError(file, "zip archive is not a DOCX (no word/document.xml)");
  let html: string;
  try {
    // Images are not text: an empty source keeps their base64 out of memory (the HTML loader drops <img> anyway).
    const convertImage = mammoth.images.imgElement(() => Promise.resolve({ src: "" }));
    html = (await mammoth.convertToHtml({ buffer: bytes }, { styleMap: STYLE_MAP, includeDefaultStyleMap: true, convertImage })).value;
  } catch (err) {
    // mammoth's messages may quote the document; the reason names only what failed.
    throw new UnsupportedDocumentError(file, "corrupt DOCX (Word document could not be read)", { cause: err });
  }
  const doc = loadHtml(html, input, limits);
  return { ...doc, format: DOCX_FORMAT };
}
