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
    else {
      sessionStorage.removeItem(KEY);
      // Forgetting the key forgets what was asked with it (the next key may see other collections).
      sessionStorage.removeItem("groundline.playground");
    }
  } catch {
    // Storage disabled: the key lives in memory for this page only.
  }
}

// "Continue without a key" worked once in this tab (a server without API keys): later loads sign in the same way.
const NO_KEY = "groundline.noKey";

export function noKeyChosen(): boolean {
  try {
    return sessionStorage.getItem(NO_KEY) === "1";
  } catch {
    return false;
  }
}

export function chooseNoKey(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(NO_KEY, "1");
    else sessionStorage.removeItem(NO_KEY);
  } catch {
    // Storage disabled: asked again on the next load.
  }
}
