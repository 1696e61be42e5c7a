import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

// The chat widget: one self-contained script (no framework) that help sites load with a <script> tag, served as /widget.js.
export default defineConfig({
  root: here,
  logLevel: "warn",
  build: {
    outDir: `${here}../dist/console`,
    emptyOutDir: false,
    target: "es2020",
    lib: { entry: `${here}widget/widget.ts`, name: "GroundlineWidget", formats: ["iife"], fileName: () => "widget.js" },
  },
});
