// Builds gql/static/dist: the explorer bundle (esbuild) and GraphiQL's own files copied
// from node_modules, so `shegong serve` loads nothing from a CDN. Run: npm run build.
import { build } from "esbuild";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "gql", "static", "dist");
const modules = join(here, "node_modules");

await rm(out, { recursive: true, force: true });
await mkdir(join(out, "graphiql"), { recursive: true });

await build({
  entryPoints: { explorer: join(here, "src", "main.js"), "explorer-style": join(here, "src", "explorer.css") },
  outdir: out,
  bundle: true,
  minify: true,
  // ES modules split in chunks: the neighbourhood view (Cytoscape) loads when first used.
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  target: ["es2020"],
  legalComments: "linked",
  logLevel: "warning",
});

// GraphiQL's UMD build wants React and ReactDOM as globals.
const vendor = {
  "react.production.min.js": "react/umd/react.production.min.js",
  "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
  "graphiql.min.js": "graphiql/graphiql.min.js",
  "graphiql.min.css": "graphiql/graphiql.min.css",
};
for (const [name, path] of Object.entries(vendor)) {
  await copyFile(join(modules, path), join(out, "graphiql", name));
}
const versions = {};
for (const name of ["cytoscape", "cytoscape-fcose", "graphiql", "react", "react-dom"]) {
  versions[name] = JSON.parse(await readFile(join(modules, name, "package.json"), "utf8")).version;
}
await writeFile(join(out, "BUILD.json"), JSON.stringify({ versions }, null, 2) + "\n");
console.log(`built ${out}`);
