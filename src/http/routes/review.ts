import { Router, type Request } from "express";
import { z } from "zod";
import { NotFoundError } from "../../errors.js";
import { acceptProposal, dismissProposal } from "../../curated/proposals.js";
import type { ViewScope } from "../../ports/analytics-store.js";
import type { RouteDeps } from "../app-deps.js";
import { requireJson } from "../body.js";
import { resolveCollection } from "../collections.js";
import { ConflictError } from "../http-errors.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";

const listQuery = z.object({
  state: z.enum(["open", "accepted", "dismissed", "all"]).default("open"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const idParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** POST /review/proposals/:id/accept: the reviewer may edit the question and answer, and name the collection. */
export const acceptBodySchema = z.strictObject({
  question: z.string().trim().min(1, "must not be empty").max(1000).optional(),
  answer: z.string().trim().min(1, "must not be empty").max(8000).optional(),
  collection: z.string().regex(/^[\w.-]{1,64}$/, "must be 1-64 letters, digits, '_', '.', '-'").optional(),
});

/**
 * The review queue's proposed answers (`curate` scope, checked by access control): corrections submitted with
 * POST /feedback, listed within the key's collections, accepted (→ a curated answer by this key, crediting the
 * proposer) or dismissed. 404 without analytics or curated answers; 409 for a proposal already reviewed.
 */
export function reviewRoutes(deps: RouteDeps): Router {
  const router = Router();
  const use = () => {
    if (!deps.assist || !deps.curated) throw new NotFoundError("route", "/review/proposals");
    return { assist: deps.assist, curated: deps.curated };
  };
  const scopeOf = (req: Request): ViewScope => {
    const collections = requestContext(req).principal?.collections;
    return collections ? { collections } : {};
  };
  const reviewer = (req: Request): string => requestContext(req).principal?.name ?? "anonymous";
  const id = (req: Request): number => parseInput(idParam, req.params["id"], "path");
  const refused = (why: "missing" | "reviewed", proposalId: number): Error =>
    why === "missing" ? new NotFoundError("proposal", String(proposalId)) : new ConflictError("proposal-reviewed", `proposal ${proposalId} was already accepted or dismissed`);

  router.get("/review/proposals", async (req, res) => {
    const { assist } = use();
    const q = parseInput(listQuery, req.query, "query");
    const page = await assist.proposals({ ...(q.state !== "all" ? { state: q.state } : {}), limit: q.limit, offset: q.offset, ...scopeOf(req) });
    res.json({ ...page, limit: q.limit, offset: q.offset });
  });

  router.post("/review/proposals/:id/accept", requireJson, deps.jsonBody, async (req, res) => {
    const { assist, curated } = use();
    const proposalId = id(req);
    const body = parseInput(acceptBodySchema, req.body ?? {}, "body");
    const proposal = await assist.proposal(proposalId, scopeOf(req));
    if (!proposal) throw refused("missing", proposalId);
    // Where the question was asked, unless the reviewer names a collection (always one the key may use).
    const servedIn = proposal.collections?.length === 1 ? proposal.collections[0] : undefined;
    const collection = resolveCollection(requestContext(req).principal, body.collection ?? servedIn, deps.defaultCollection);
    const result = await acceptProposal(assist, curated, proposalId, {
      author: reviewer(req), collection,
      ...(body.question !== undefined ? { question: body.question } : {}), ...(body.answer !== undefined ? { answer: body.answer } : {}),
    }, scopeOf(req));
    if (typeof result === "string") throw refused(result, proposalId);
    res.status(201).json(result);
  });

  router.post("/review/proposals/:id/dismiss", async (req, res) => {
    const { assist } = use();
    const proposalId = id(req);
    const result = await dismissProposal(assist, proposalId, reviewer(req), scopeOf(req));
    if (typeof result === "string") throw refused(result, proposalId);
    res.json(result);
  });
  return router;
}
