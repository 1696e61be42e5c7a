/** URLs, bare domains, e-mail addresses and phone numbers: where an injected instruction would send users. */
const CONTACT_RE = /\b(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/[^\s)\]]*)?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d ().-]{7,}\d/giu;

/**
 * Every link, address or phone number of `sentence` occurs in the cited sources' text (digits compared without
 * spacing). The sources are lower-cased (and their digits gathered) only for a sentence that holds one: most hold
 * none, and preparing whole sources for every sentence was most of this check's cost.
 */
export function contactsFound(sentence: string, sourceText: () => string): boolean {
  let haystack: string | undefined;
  let digits: string | undefined;
  for (const m of sentence.matchAll(CONTACT_RE)) {
    haystack ??= sourceText().toLowerCase();
    const found = /^\+?\d/.test(m[0])
      ? (digits ??= haystack.replace(/\D/g, "")).includes(m[0].replace(/\D/g, ""))
      : haystack.includes(m[0].toLowerCase().replace(/^https?:\/\//, "").replace(/[.,;:!?)]+$/, ""));
    if (!found) return false;
  }
  return true;
}
