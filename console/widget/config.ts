/** What a help site sets on the widget's <script> tag (data-* attributes). */
export interface WidgetConfig {
  /** The engine's base URL: data-api, else the origin the script was loaded from. */
  api: string;
  /** A key with the `widget` scope (data-key): public by design, it may only ask and rate its answers. */
  key: string | undefined;
  title: string;
  /** UI language: data-lang, else the page's <html lang> ("zh…" → Simplified Chinese, else English). */
  lang: string;
  /** Hand-offs offered when an answer says `escalate`: a URL, a mailto: address, and/or a DOM event. */
  handoffUrl: string | undefined;
  handoffEmail: string | undefined;
  handoffEvent: boolean;
  /** Collections to answer from (data-collections, comma-separated); default: all the key's. */
  collections: string[] | undefined;
}

export function readConfig(script: HTMLScriptElement | null): WidgetConfig {
  const d = script?.dataset ?? {};
  const src = script?.src ? new URL(script.src, location.href) : undefined;
  const mailto = d["handoffMailto"]?.replace(/^mailto:/i, "");
  const collections = d["collections"]?.split(",").map((c) => c.trim()).filter(Boolean);
  return {
    api: (d["api"] ?? src?.origin ?? location.origin).replace(/\/+$/, ""),
    key: d["key"] || undefined,
    title: d["title"] || "Help",
    lang: d["lang"] || document.documentElement.lang || "en",
    handoffUrl: safeUrl(d["handoffUrl"]),
    handoffEmail: mailto || undefined,
    handoffEvent: d["handoffEvent"] === "true" || d["handoffEvent"] === "",
    collections: collections && collections.length > 0 ? collections : undefined,
  };
}

/** Only http(s) hand-off URLs (never javascript:). */
function safeUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw, location.href);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}
