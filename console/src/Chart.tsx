import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip, type ChartType } from "chart.js";
import { useEffect, useRef } from "react";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);

export interface Series {
  labels: string[];
  values: number[];
  colors: string[];
}

/** Several series over the same labels, drawn as stacked bars (questions per day by outcome). */
export interface StackedSeries {
  labels: string[];
  stacks: Array<{ name: string; values: number[]; color: string }>;
}

/**
 * One chart (Chart.js on a canvas) with its numbers also as a table: the canvas is an image with a summary for screen
 * readers, the table under "Show the numbers" is what keyboard and screen-reader users read.
 */
export function ChartFigure(props: { title: string; type: Extract<ChartType, "bar" | "doughnut">; series: Series; horizontal?: boolean; showData: string; label: string; value: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { type, series, horizontal } = props;
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type,
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: series.colors, borderWidth: 0 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        ...(type === "bar" ? { indexAxis: horizontal ? "y" : "x", scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } } } : {}),
        plugins: { legend: { display: type === "doughnut" } },
      },
    });
    return () => chart.destroy();
  }, [type, series, horizontal]);
  const summary = series.labels.map((l, i) => `${l}: ${series.values[i]}`).join(", ");
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <div className="canvas-box"><canvas ref={canvas} role="img" aria-label={`${props.title}: ${summary}`} /></div>
      <details>
        <summary>{props.showData}</summary>
        <table>
          <thead><tr><th scope="col">{props.label}</th><th scope="col">{props.value}</th></tr></thead>
          <tbody>{series.labels.map((l, i) => <tr key={l + i}><td>{l}</td><td>{series.values[i]}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

/** Stacked bars with the same table fallback: one row per label, one column per stack. */
export function StackedChartFigure(props: { title: string; series: StackedSeries; showData: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { series } = props;
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: "bar",
      data: { labels: series.labels, datasets: series.stacks.map((s) => ({ label: s.name, data: s.values, backgroundColor: s.color, borderWidth: 0 })) },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [series]);
  const summary = series.labels.map((l, i) => `${l}: ${series.stacks.map((s) => `${s.name} ${s.values[i]}`).join(", ")}`).join("; ");
  return (
    <figure className="chart wide">
      <figcaption>{props.title}</figcaption>
      <div className="canvas-box"><canvas ref={canvas} role="img" aria-label={`${props.title}: ${summary || "—"}`} /></div>
      <details>
        <summary>{props.showData}</summary>
        <table>
          <thead><tr><th scope="col">{props.label}</th>{series.stacks.map((s) => <th key={s.name} scope="col">{s.name}</th>)}</tr></thead>
          <tbody>{series.labels.map((l, i) => <tr key={l}><td>{l}</td>{series.stacks.map((s) => <td key={s.name}>{s.values[i]}</td>)}</tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}
