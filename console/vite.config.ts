import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

// The console: a static single-page app served by the API under /console/ (see src/http/routes/console.ts).
export default defineConfig({
  root: here,
  base: "/console/",
  plugins: [react()],
  logLevel: "warn",
  build: { outDir: `${here}../dist/console`, emptyOutDir: true, sourcemap: true, target: "es2022" },
});
