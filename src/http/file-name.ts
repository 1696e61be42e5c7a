import { InvalidInputError } from "../errors.js";

const MAX_NAME_CHARS = 200;
// C0/C1 controls, and bidi overrides that can disguise an extension ("evil\u202Efdp.exe").
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A client-supplied file name made safe to store and show: NFC, basename only (both separators), control and
 * bidi characters removed, no leading dots, at most 200 characters with the extension kept.
 * `../../etc/passwd` becomes `passwd`.
 * @throws InvalidInputError when nothing usable is left.
 */
export function sanitizeFileName(raw: string): string {
  const base = raw.normalize("NFC").replace(UNSAFE_CHARS, "").split(/[\\/]/).pop() ?? "";
  let name = base.trim().replace(/^\.+/, "").trim();
  if ([...name].length > MAX_NAME_CHARS) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
    const stem = ext ? name.slice(0, dot) : name;
    name = [...stem].slice(0, MAX_NAME_CHARS - ext.length).join("").trimEnd() + ext;
  }
  if (name === "") throw new InvalidInputError(`unusable file name '${raw.replace(UNSAFE_CHARS, "").slice(0, 80)}'`);
  return name;
}

/** A readable file-name stem from a title: letters and digits kept, everything else collapsed to '-'. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return [...slug].slice(0, 80).join("").replace(/-+$/, "") || "document";
}

/**
 * Ids that may be written: the spec's `[\w.\-/#:@]` extended with Unicode letters, digits and marks, spaces,
 * parentheses and '+', because ids derive from file names such as "User Guide (2).pdf" or "手册.md".
 */
const DOCUMENT_ID_RE = /^[\p{L}\p{N}\p{M}_.\-/#:@ ()+]{1,200}$/u;

/**
 * Validates an id for a new or replaced document: the character set above, no `..`, no leading '/', no
 * surrounding spaces.
 * @throws InvalidInputError naming the id.
 */
export function assertWritableDocumentId(id: string, hint = ""): string {
  const ok = DOCUMENT_ID_RE.test(id) && !id.includes("..") && !id.startsWith("/") && id.trim() === id;
  if (!ok) {
    throw new InvalidInputError(
      `invalid document id '${id.replace(UNSAFE_CHARS, "?").slice(0, 220)}': use 1-200 letters, digits, spaces and _ . - / # : @ ( ) +, without '..'${hint}`,
      { details: { errors: [{ path: "id", message: "invalid document id" }] } },
    );
  }
  return id;
}

/**
 * Checks an id used to look a document up or delete it. Looser than for writes: documents ingested from the
 * command line may have ids with any characters their file names had.
 */
export function assertLookupId(id: string): string {
  if (id.length === 0 || id.length > 1000 || /[\u0000-\u001f\u007f]/.test(id)) {
    throw new InvalidInputError("invalid document id", { details: { errors: [{ path: "id", message: "1-1000 characters without control characters" }] } });
  }
  return id;
}
