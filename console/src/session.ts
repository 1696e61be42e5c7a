// The key is entered once and kept for the browser session only (sessionStorage: gone when the tab closes, never
// shared with other tabs' sessions or written to disk by the console).
const KEY = "groundline.apiKey";

export function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeKey(key: string | undefined): void {
  try {
    if (key) sessionStorage.setItem(KEY, key);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: the key lives in memory for this page only.
  }
}
