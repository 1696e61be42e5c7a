import { useEffect, useState } from "react";

/** The console's screens, addressed by the URL hash so reloads and the back button keep the place. */
export type Route =
  | { screen: "library" }
  | { screen: "playground" }
  | { screen: "assist" }
  | { screen: "analytics" }
  | { screen: "curated" }
  | { screen: "document"; collection: string; id: string; chunk?: string };

export function parseRoute(hash: string): Route | undefined {
  // "?chunk=" anchors a document view at one chunk (ids are URI-encoded, so a literal "?" only starts this part).
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/");
  if (parts[0] === "library") return { screen: "library" };
  if (parts[0] === "playground") return { screen: "playground" };
  if (parts[0] === "assist") return { screen: "assist" };
  if (parts[0] === "analytics") return { screen: "analytics" };
  if (parts[0] === "curated") return { screen: "curated" };
  if (parts[0] === "document" && parts.length >= 3) {
    const chunk = new URLSearchParams(query).get("chunk");
    return { screen: "document", collection: decodeURIComponent(parts[1]!), id: decodeURIComponent(parts.slice(2).join("/")), ...(chunk ? { chunk } : {}) };
  }
  return undefined;
}

export function hrefFor(route: Route): string {
  if (route.screen === "document") {
    const at = route.chunk !== undefined ? `?chunk=${encodeURIComponent(route.chunk)}` : "";
    return `#/document/${encodeURIComponent(route.collection)}/${encodeURIComponent(route.id)}${at}`;
  }
  return `#/${route.screen}`;
}

/** The current route (undefined for an empty or unknown hash). */
export function useRoute(): Route | undefined {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
