import { useEffect, useMemo, useState } from "react";
import type { AnalyticsReport, ApiClient, GapCluster, GapShow, WhoAmI } from "./api.js";
import { CuratedForm } from "./CuratedForm.js";
import { ChartFigure, StackedChartFigure, type Series, type StackedSeries } from "./Chart.js";
import { useI18n } from "./i18n.js";
import { Proposals } from "./Proposals.js";
import { describe } from "./uploads.js";

const OUTCOME_COLORS = { answered: "#15803d", refused: "#b91c1c", escalated: "#c2410c", degraded: "#6b7280" } as const;
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * Analytics (admin): outcomes, feedback, most cited documents, and the review queue of coverage-gap clusters, where a
 * key with `curate` writes a curated answer for a queued question or reviews answers proposed with feedback. Gaps a
 * curated answer now answers leave the open queue (the server asks each question again); the filter shows them.
 */
export function Analytics({ client, me, canCurate }: { client: ApiClient; me: WhoAmI; canCurate: boolean }) {
  const { t } = useI18n();
  const [writing, setWriting] = useState<{ question: string; collections?: readonly string[] }>();
  const [saved, setSaved] = useState("");
  const [range, setRange] = useState({ from: "", to: "" });
  const [applied, setApplied] = useState(range);
  const [report, setReport] = useState<AnalyticsReport>();
  const [error, setError] = useState<string>();
  const [gaps, setGaps] = useState<GapShow>("open");
  // Bumped when a curated answer is written or accepted: the queue is asked again and covered questions leave it.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    client.analytics({ ...applied, gaps }).then((r) => (setReport(r), setError(undefined)), (err: unknown) => setError(describe(err)));
  }, [client, applied, gaps, version]);
  const series = useMemo(() => (report ? chartsOf(report, t("feedbackUp"), t("feedbackDown")) : undefined), [report, t]);
  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title" tabIndex={-1}>{t("analytics")}</h1>
      <form className="filters" onSubmit={(e) => (e.preventDefault(), setApplied(range))}>
        <label htmlFor="analytics-from">{t("from")}</label><input id="analytics-from" type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
        <label htmlFor="analytics-to">{t("to")}</label><input id="analytics-to" type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
        <button type="submit">{t("apply")}</button>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {report && series ? (
        <>
          <ul className="kpis" aria-label={t("summary")}>
            <li><strong>{report.questions}</strong> {t("questions", { n: report.questions })}</li>
            <li><strong>{pct(report.rates.answered)}</strong> {t("answerRate")}</li>
            <li><strong>{pct(report.rates.escalated + report.rates.refused)}</strong> {t("escalationRate")}</li>
            <li><strong>{report.feedback.up}</strong> / <strong>{report.feedback.down}</strong> {t("feedbackUpDown")}</li>
          </ul>
          <div className="charts">
            <StackedChartFigure title={t("dailyChart")} series={series.daily} showData={t("showData")} label={t("day")} />
            <ChartFigure title={t("outcomesChart")} type="bar" series={series.outcomes} showData={t("showData")} label={t("outcome")} value={t("count")} />
            <ChartFigure title={t("feedbackChart")} type="doughnut" series={series.feedback} showData={t("showData")} label={t("rating")} value={t("count")} />
            <ChartFigure title={t("citedChart")} type="bar" horizontal series={series.cited} showData={t("showData")} label={t("document")} value={t("count")} />
          </div>
          <h2>{t("reviewQueue")}</h2>
          <p className="muted small">{t("reviewHelp")}</p>
          <div className="filters">
            <label htmlFor="gap-show">{t("gapShow")}</label>
            <select id="gap-show" value={gaps} onChange={(e) => setGaps(e.target.value === "covered" ? "covered" : e.target.value === "all" ? "all" : "open")}>
                <option value="open">{t("gapShowOpen")}</option>
                <option value="covered">{t("gapShowCovered")}</option>
                <option value="all">{t("gapShowAll")}</option>
              </select>
            <span className="muted small">{t("coveredCount", { n: report.coverageGaps.covered ?? 0 })}</span>
          </div>
          {report.coverageGaps.clusters.length === 0 ? <p>{t("noGaps")}</p> : (
            <ol className="gaps">
              {report.coverageGaps.clusters.map((c, i) => <GapItem key={i} c={c} canCurate={canCurate} onWrite={() => setWriting({ question: c.representative, ...(c.collections ? { collections: c.collections } : {}) })} />)}
            </ol>
          )}
          <p role="status" className="muted small">{saved}</p>
          {canCurate ? <Proposals client={client} me={me} onAccepted={() => setVersion((v) => v + 1)} /> : null}
        </>
      ) : null}
      {writing !== undefined ? (
        <CuratedForm
          client={client}
          me={me}
          draft={writing}
          onCancel={() => setWriting(undefined)}
          onSaved={(a) => (setWriting(undefined), setSaved(t("curatedSaved", { v: a.version })), setVersion((v) => v + 1))}
        />
      ) : null}
    </section>
  );
}

/** One cluster of the review queue: its questions, which of them a curated answer now answers, and Write answer. */
function GapItem({ c, canCurate, onWrite }: { c: GapCluster; canCurate: boolean; onWrite: () => void }) {
  const { t } = useI18n();
  const covered = new Map((c.coverage ?? []).map((x) => [x.question, x.coveredBy]));
  const mark = (q: string) => (covered.get(q) ? <span className="badge curated">{t("exampleCovered")}</span> : null);
  return (
    <li data-gap={c.representative} data-covered={c.coveredBy ? "true" : "false"}>
      <strong>{c.representative}</strong> {mark(c.representative)}{" "}
      <span className="muted small">
        {t("gapStats", { n: c.count, conf: pct(c.averageConfidence), down: c.downVotes })} · {Object.entries(c.outcomes).map(([o, n]) => `${o} ${n}`).join(", ")}
      </span>
      {c.coveredBy ? <p className="small">{t("gapCovered", { q: c.coveredBy.question })}</p> : null}
      {canCurate && !c.coveredBy ? (
        <button type="button" className="secondary small" aria-label={t("writeAnswerFor", { q: c.representative })} onClick={onWrite}>{t("writeAnswer")}</button>
      ) : null}
      {c.examples.length > 1 ? <ul className="small">{c.examples.filter((e) => e !== c.representative).map((e) => <li key={e}>{e} {mark(e)}</li>)}</ul> : null}
    </li>
  );
}

/** Axis labels stay readable; the full titles are in the numbers table and the canvas's label. */
const short = (s: string): string => (s.length > 28 ? `${s.slice(0, 27)}…` : s);

function chartsOf(r: AnalyticsReport, up: string, down: string): { daily: StackedSeries; outcomes: Series; feedback: Series; cited: Series } {
  const outcomes = (["answered", "refused", "escalated", "degraded"] as const);
  return {
    daily: { labels: r.daily.map((d) => d.day), stacks: outcomes.map((o) => ({ name: o, values: r.daily.map((d) => d.outcomes[o]), color: OUTCOME_COLORS[o] })) },
    outcomes: { labels: [...outcomes], values: outcomes.map((o) => r.outcomes[o]), colors: outcomes.map((o) => OUTCOME_COLORS[o]) },
    feedback: { labels: [up, down], values: [r.feedback.up, r.feedback.down], colors: ["#15803d", "#b91c1c"] },
    cited: { labels: r.mostCited.map((c) => short(c.title ?? c.documentId)), values: r.mostCited.map((c) => c.count), colors: r.mostCited.map(() => "#1d4ed8") },
  };
}
