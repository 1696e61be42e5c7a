// The review queue's curated-answer gaps (issue #14): a correction sent with POST /feedback is a *proposal* — listed
// for `curate` keys within their collections, redacted, never used in answers until accepted (a bot key cannot inject
// an answer), accepted into a curated answer authored by the reviewer and crediting the proposer, or dismissed; and a
// question a curated answer now answers (asked again through retrieval and the gate) leaves the open queue.
import { describe, expect, it } from "vitest";
import { API_KEYS, call, expectProblem, KEY, useSecServer } from "./harness.js";

const CURATOR = { name: "curM", key: "sk-curator-m" } as const;
const CURATOR_SECRET = { name: "curS", key: "sk-curator-s" } as const;
const QUESTION = "How do I pair the remote with the widget?";
const CORRECTION = "Hold the OK and Back buttons on the remote for five seconds until the widget's LED blinks blue; the remote is paired when it stays blue. Help: pairing.help@example.com";

interface ProposalBody { id: number; question: string; answer?: string; correctedAnswer: string; proposedBy?: string; state: string; curatedId?: string; reviewedBy?: string }
interface Cluster {
  representative: string;
  examples: string[];
  coveredBy?: { curatedId: string } | null;
  coverage?: Array<{ question: string; coveredBy: { curatedId: string } | null }>;
}

describe("/review/proposals and covered gaps", () => {
  const server = useSecServer({
    env: { API_KEYS: `${API_KEYS},${CURATOR.name}:${CURATOR.key}:curate:manuals,${CURATOR_SECRET.name}:${CURATOR_SECRET.key}:curate:secret` },
  });
  const ask = async (key: string, question: string) => (await call(server().url, "POST", "/answer", { key, json: { question } })).body ?? {};
  const proposals = async (key: string, query = "") => (await call(server().url, "GET", `/review/proposals${query}`, { key })).body?.["items"] as ProposalBody[];
  const clusters = async (gaps: string) => ((await call(server().url, "GET", `/analytics?gaps=${gaps}`, { key: KEY.ops })).body?.["coverageGaps"] as { clusters: Cluster[] }).clusters;
  const reps = (cs: Cluster[]) => cs.map((c) => c.representative);

  it("a bot's correction is a proposal: listed for curators only, redacted, never answered from before acceptance", async () => {
    const s = server();
    const refused = await ask(KEY.bot, QUESTION);
    expect(refused["answerable"]).toBe(false);
    const fb = await call(s.url, "POST", "/feedback", { key: KEY.bot, json: { answerId: refused["id"], rating: "down", correctedAnswer: CORRECTION } });
    expect(fb.status).toBe(201);
    for (const key of [KEY.bot, KEY.agent, KEY.content, KEY.widget]) {
      expectProblem(await call(s.url, "GET", "/review/proposals", { key }), 403);
      expectProblem(await call(s.url, "POST", "/review/proposals/1/accept", { key, json: {} }), 403);
    }
    const [p] = (await proposals(CURATOR.key)).filter((x) => x.question === QUESTION);
    expect(p).toMatchObject({ question: QUESTION, proposedBy: "bot", state: "open" });
    expect(p!.answer).toBe(refused["answer"]);
    expect(p!.correctedAnswer).toContain("[EMAIL]");
    expect(JSON.stringify(await proposals(CURATOR.key))).not.toContain("example.com");
    // Not customer-facing: the bot is still refused, and no curated answer exists.
    expect((await ask(KEY.bot, QUESTION))["answerable"]).toBe(false);
    expect((await call(s.url, "GET", "/curated", { key: CURATOR.key })).body?.["total"]).toBe(0);
    // In the open review queue, not among the covered ones.
    expect(reps(await clusters("open"))).toContain(QUESTION);
    expect(reps(await clusters("covered"))).not.toContain(QUESTION);
  });

  it("accepting makes it a curated answer by the reviewer crediting the proposer; the question leaves the open queue", async () => {
    const s = server();
    const [p] = (await proposals(CURATOR.key)).filter((x) => x.question === QUESTION);
    const accepted = await call(s.url, "POST", `/review/proposals/${p!.id}/accept`, { key: CURATOR.key, json: {} });
    expect(accepted.status).toBe(201);
    const curated = accepted.body?.["curated"] as { id: string; author: string; proposedBy: string; collection: string; answer: string };
    expect(curated).toMatchObject({ author: CURATOR.name, proposedBy: "bot", collection: "manuals" });
    expect(curated.answer).not.toContain("example.com");
    expect(accepted.body?.["proposal"]).toMatchObject({ state: "accepted", reviewedBy: CURATOR.name, curatedId: curated.id });
    expectProblem(await call(s.url, "POST", `/review/proposals/${p!.id}/accept`, { key: CURATOR.key, json: {} }), 409);
    expectProblem(await call(s.url, "POST", `/review/proposals/${p!.id}/dismiss`, { key: CURATOR.key }), 409);
    expect(await proposals(CURATOR.key)).toEqual([]);
    expect((await proposals(CURATOR.key, "?state=accepted")).map((x) => x.id)).toContain(p!.id);

    for (const q of [QUESTION, "What are the steps to pair my remote to the widget?"]) {
      const a = await ask(KEY.bot, q);
      expect(a["answerable"], q).toBe(true);
      expect((a["citations"] as unknown[])[0], q).toMatchObject({ documentId: curated.id, sourceType: "curated", curated: { author: CURATOR.name, proposedBy: "bot" } });
    }
    const nearMiss = await ask(KEY.bot, "How do I cancel the pairing of the remote with the widget?");
    expect(JSON.stringify(nearMiss["citations"])).not.toContain(curated.id);

    // Asked again through retrieval and the gate, the question is now covered; the refused near miss, grouped with it,
    // is not, so their cluster stays open with the question marked.
    const cluster = (await clusters("open")).find((c) => c.examples.includes(QUESTION));
    expect(cluster?.coveredBy).toBeNull();
    const byQuestion = new Map(cluster?.coverage?.map((c) => [c.question, c.coveredBy?.curatedId ?? null]));
    expect(byQuestion.get(QUESTION)).toBe(curated.id);
    expect(byQuestion.get("How do I cancel the pairing of the remote with the widget?")).toBeNull();
  });

  it("a proposal from another collection is the same 404 as a missing one; dismissing keeps it listed as dismissed", async () => {
    const s = server();
    const asked = await ask(KEY.ingB, "What is the nightjar rollback procedure?");
    expect((await call(s.url, "POST", "/feedback", { key: KEY.ingB, json: { answerId: asked["id"], rating: "down", correctedAnswer: "Roll back with the owl key." } })).status).toBe(201);
    expect(await proposals(CURATOR.key)).toEqual([]);
    const [p] = await proposals(CURATOR_SECRET.key);
    expect(p).toMatchObject({ proposedBy: "ingB", state: "open" });
    const missing = await call(s.url, "POST", "/review/proposals/999999/accept", { key: CURATOR.key, json: {} });
    expectProblem(missing, 404);
    const other = await call(s.url, "POST", `/review/proposals/${p!.id}/accept`, { key: CURATOR.key, json: {} });
    expectProblem(other, 404);
    expect(other.body?.["detail"]).toBe(String(missing.body?.["detail"]).replace("999999", String(p!.id)));
    expectProblem(await call(s.url, "POST", `/review/proposals/${p!.id}/dismiss`, { key: CURATOR.key }), 404);
    // Naming a collection the key may not use is refused before anything is written.
    expectProblem(await call(s.url, "POST", `/review/proposals/${p!.id}/accept`, { key: CURATOR_SECRET.key, json: { collection: "manuals" } }), 403);
    expectProblem(await call(s.url, "POST", "/review/proposals/abc/accept", { key: CURATOR.key, json: {} }), 400);
    expectProblem(await call(s.url, "POST", `/review/proposals/${p!.id}/accept`, { key: CURATOR_SECRET.key, json: { extra: 1 } }), 400);
    const dismissed = await call(s.url, "POST", `/review/proposals/${p!.id}/dismiss`, { key: CURATOR_SECRET.key });
    expect(dismissed.body).toMatchObject({ id: p!.id, state: "dismissed", reviewedBy: CURATOR_SECRET.name });
    expect((await proposals(CURATOR_SECRET.key, "?state=dismissed")).map((x) => x.id)).toEqual([p!.id]);
    expect((await call(s.url, "GET", "/curated", { key: KEY.ops })).body?.["items"]).not.toContainEqual(expect.objectContaining({ collection: "secret" }));
  });

  it("an edited acceptance: the reviewer's text is what is answered", async () => {
    const s = server();
    const asked = await ask(KEY.bot, "How do I clean the widget's lens?");
    expect(asked["answerable"]).toBe(false);
    await call(s.url, "POST", "/feedback", { key: KEY.bot, json: { answerId: asked["id"], rating: "down", correctedAnswer: "Use water." } });
    const [p] = (await proposals(CURATOR.key)).filter((x) => x.question === "How do I clean the widget's lens?");
    const accepted = await call(s.url, "POST", `/review/proposals/${p!.id}/accept`, {
      key: CURATOR.key, json: { answer: "Wipe the widget's lens with a dry microfiber cloth; never use water." },
    });
    expect(accepted.status).toBe(201);
    const a = await ask(KEY.bot, "How do I clean the widget's lens?");
    expect(a["answer"]).toContain("microfiber");
    // Every question of its cluster is answered from a curated answer now: out of the open queue, listed as covered.
    const id = (accepted.body?.["curated"] as { id: string }).id;
    expect(reps(await clusters("open"))).not.toContain("How do I clean the widget's lens?");
    const covered = (await clusters("covered")).find((c) => c.representative === "How do I clean the widget's lens?");
    expect(covered?.coveredBy?.curatedId).toBe(id);
    expect((await clusters("all")).find((c) => c.representative === "How do I clean the widget's lens?")?.coveredBy?.curatedId).toBe(id);
  });
});
