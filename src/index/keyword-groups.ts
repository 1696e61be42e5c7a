import type { ScriptFamily } from "../domain/chunk.js";

/**
 * The keyword index keeps its statistics per group: a collection and the script class of a chunk's language (0 no
 * language, 1 alphabetic, 2 CJK), so that a query's statistics can cover some collections and, within them, one script
 * family (a reply that quotes only that family's chunks is weighed on theirs). Group id = collection id ×
 * SCRIPT_CLASSES + class.
 */
export const SCRIPT_CLASSES = 3;

/** The script class of a script family (see SCRIPT_CLASSES). */
export function scriptClassOf(family: ScriptFamily): number {
  return family === "cjk" ? 2 : 1;
}
