import type { ScriptFamily } from "../domain/chunk.js";

/** Primary language subtags of the CJK family (as `scriptFamily` in src/text/language.ts). */
const CJK_TAGS = ["zh", "ja", "ko"] as const;

/**
 * An SQL condition (SQLite and PostgreSQL alike) true for a row whose language tag `column` is of script family
 * `family`, or NULL: the rule of `scriptFamily` (primary subtag zh, ja or ko → CJK; any other tag → alphabetic), so
 * that the stores' statistics for one family count the chunks the memory index and `quotableIn` count.
 */
export function scriptFamilySql(column: string, family: ScriptFamily): string {
  const tag = `lower(trim(${column}))`;
  const cjk = CJK_TAGS.map((p) => `${tag} = '${p}' OR ${tag} LIKE '${p}-%' OR ${tag} LIKE '${p}\\_%' ESCAPE '\\'`).join(" OR ");
  return `(${column} IS NULL OR ${family === "cjk" ? "" : "NOT "}(${cjk}))`;
}
