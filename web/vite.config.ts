// Builds the UI into the Python package (src/eventwire/serve/static/dist), which FastAPI serves
// under /static. Two pages: the app (index.html) and the offline API docs (docs.html).
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/static/",
  build: {
    outDir: resolve(import.meta.dirname, "../src/eventwire/serve/static/dist"),
    emptyOutDir: true,
    sourcemap: false,
    // Swagger UI alone is ~1.5 MB; it loads only on /docs.
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, "index.html"),
        docs: resolve(import.meta.dirname, "docs.html"),
      },
    },
  },
});
