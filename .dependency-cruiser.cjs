/**
 * Import boundaries (run by `npm test` through `npm run lint:deps`). Dependencies point inward:
 * entry points (HTTP, CLI, workers, scripts) → use cases → ports ← adapters. Only the composition roots
 * (src/container.ts, src/server/, ingest entry points) name concrete adapters, and only adapters import the
 * infrastructure packages.
 */
const INFRA = "^node_modules/(bullmq|ioredis|hnswlib-node|better-sqlite3|pg|pg-[^/]+|langchain|@langchain/[^/]+)/";
const USE_CASES = "^(src/(answer|retrieval|assist|curated|domain|ports|text|index|jobs|eval)/|ingest/(pipeline|processor)\\.ts|ingest/(chunking|loaders)/)";

module.exports = {
  forbidden: [
    {
      name: "infra-only-in-adapters",
      comment: "bullmq, ioredis, hnswlib-node, better-sqlite3, pg and LangChain are imported only by src/adapters/ (the LangChain eval reference is a baseline, not product code)",
      severity: "error",
      from: { path: "^(src|ingest|scripts)/", pathNot: "^(src/adapters/|scripts/lib/langchain-reference\\.ts$)" },
      to: { path: INFRA },
    },
    {
      name: "use-cases-never-import-adapters",
      comment: "use cases talk to ports; the composition roots pick the adapters",
      severity: "error",
      from: { path: USE_CASES },
      to: { path: "^src/adapters/" },
    },
    {
      name: "use-cases-never-import-entry-points",
      comment: "use cases do not know about HTTP, the CLI, the server or the composition root",
      severity: "error",
      from: { path: USE_CASES },
      to: { path: "^(src/(http|server|cli)/|src/container\\.ts$|src/main\\.ts$)" },
    },
    {
      name: "ports-are-leaves",
      comment: "ports are contracts: they may name domain types, never implementations",
      severity: "error",
      from: { path: "^src/ports/" },
      to: { path: "^(src|ingest)/", pathNot: "^src/(ports|domain)/|^src/errors\\.ts$" },
    },
    {
      name: "adapters-never-import-entry-points",
      severity: "error",
      from: { path: "^src/adapters/" },
      to: { path: "^(src/(http|server|cli)/|src/container\\.ts$)", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    exclude: { path: "^dist/" },
  },
};
