import { Router } from "express";
import type { RouteDeps } from "../app-deps.js";
import type { WhoAmI } from "../api-types.js";
import { requestContext } from "../request-context.js";

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
