import { Router, type Request } from "express";
import { z } from "zod";
import { InvalidInputError, NotFoundError } from "../../errors.js";
import { createCuratedAnswer, deleteCuratedAnswer, reviseCuratedAnswer } from "../../curated/curated-answers.js";
import type { CuratedDeps } from "../../curated/curated-answers.js";
import type { RouteDeps } from "../app-deps.js";
import { requireJson } from "../body.js";
import { assertCanUse, resolveCollection } from "../collections.js";
import { ForbiddenError } from "../http-errors.js";
import { hasScope } from "../middleware/auth.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";

const collectionName = z.string().regex(/^[\w.-]{1,64}$/, "must be 1-64 letters, digits, '_', '.', '-'");
const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

/** POST /curated and PUT /curated/:id bodies. */
export const curatedBodySchema = z.strictObject({
  question: text(1000),
  answer: text(8000),
  collection: collectionName.optional(),
});
const collectionQuery = z.object({ collection: collectionName.optional() });
const listQuery = z.object({
  collection: collectionName.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const idParam = z.string().regex(/^[\w.-]{1,100}$/, "is not a curated answer id");

/**
 * Curated answers: create, list, get with versions, new version, delete. Reads need `ingest` (or `curate`), writes
 * `curate`. Collections resolve as for /documents; an answer outside the key's collections is the same 404 as a
 * missing one. Every write records the key's name (never the key) with the version.
 */
export function curatedRoutes(deps: RouteDeps): Router {
  const router = Router();
  const use = (): CuratedDeps => {
    if (!deps.curated) throw new NotFoundError("route", "/curated");
    return deps.curated;
  };
  const writer = (req: Request): string => {
    const { principal } = requestContext(req);
    if (principal && !hasScope(principal, "curate")) throw new ForbiddenError(`API key '${principal.name}' lacks the 'curate' scope`);
    return principal?.name ?? "anonymous";
  };
  const where = (req: Request, named: string | undefined): string => {
    const query = parseInput(collectionQuery, req.query, "query").collection;
    if (named !== undefined && query !== undefined && named !== query) {
      throw new InvalidInputError(`query collection '${query}' does not match the body's collection '${named}'`);
    }
    return resolveCollection(requestContext(req).principal, named ?? query, deps.defaultCollection);
  };
  const id = (req: Request): string => parseInput(idParam, req.params["id"], "path");

  router.post("/curated", requireJson, deps.jsonBody, async (req, res) => {
    const curated = use();
    const author = writer(req);
    const body = parseInput(curatedBodySchema, req.body, "body");
    const collection = where(req, body.collection);
    res.status(201).json(await createCuratedAnswer(curated, { collection, question: body.question, answer: body.answer, author }));
  });

  router.get("/curated", async (req, res) => {
    const curated = use();
    const q = parseInput(listQuery, req.query, "query");
    const principal = requestContext(req).principal;
    if (q.collection !== undefined) assertCanUse(principal, q.collection);
    const collections = q.collection !== undefined ? [q.collection] : principal?.collections;
    const page = await curated.curated.list({ ...(collections ? { collections } : {}), limit: q.limit, offset: q.offset });
    res.json({ ...page, limit: q.limit, offset: q.offset });
  });

  router.get("/curated/:id", async (req, res) => {
    const curated = use();
    const answerId = id(req);
    const found = await curated.curated.get(where(req, undefined), answerId);
    if (!found) throw new NotFoundError("curated answer", answerId);
    res.json(found);
  });

  router.put("/curated/:id", requireJson, deps.jsonBody, async (req, res) => {
    const curated = use();
    const author = writer(req);
    const answerId = id(req);
    const body = parseInput(curatedBodySchema, req.body, "body");
    const collection = where(req, body.collection);
    const saved = await reviseCuratedAnswer(curated, answerId, { collection, question: body.question, answer: body.answer, author });
    if (!saved) throw new NotFoundError("curated answer", answerId);
    res.json(saved);
  });

  router.delete("/curated/:id", async (req, res) => {
    const curated = use();
    writer(req);
    const answerId = id(req);
    if (!(await deleteCuratedAnswer(curated, where(req, undefined), answerId))) throw new NotFoundError("curated answer", answerId);
    res.status(204).end();
  });
  return router;
}
