import { Router } from "express";
import type { RouteDeps } from "../app-deps.js";
import { requestContext } from "../request-context.js";

/** What GET /whoami tells a caller about its own key: enough for the console to hide what the key may not do. */
export interface WhoAmI {
  /** Key name (`anonymous` when the API runs without keys). */
  name: string;
  /** Scopes held, expanded (an admin key lists every scope). */
  scopes: string[];
  /** Collections the key is limited to; null for every collection. */
  collections: string[] | null;
  /** Collection of uploads that name none (a key limited to one collection uploads into that one). */
  defaultCollection: string;
  /** Whether /feedback, /suggest and /analytics exist on this server. */
  assist: boolean;
}

/** GET /whoami: any valid key (not a widget key) learns its own name, scopes and collections — never the key itself. */
export function whoamiRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/whoami", (req, res) => {
    const principal = requestContext(req).principal;
    const body: WhoAmI = {
      name: principal?.name ?? "anonymous",
      scopes: principal ? [...principal.scopes].sort() : [],
      collections: principal?.collections ? [...principal.collections] : null,
      defaultCollection: principal?.collections?.length === 1 ? principal.collections[0]! : deps.defaultCollection,
      assist: deps.assist !== undefined,
    };
    res.json(body);
  });
  return router;
}
