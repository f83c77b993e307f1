// The explorer's shell: header (search, navigation, editor token) and a hash router.
//
//   #/                       overview          #/search?q=TEXT        search results
//   #/entity/ID              entity page       #/article/ID?start&end article text
//   #/graph/ID?hops&types    neighbourhood     #/path?from&to&hops    shortest path
//   #/review?max             review queue      #/audit?entity&editor  audit trail

import { fill, h } from "./dom.js";
import { editorBar } from "./editor.js";
import { renderArticle } from "./views/article.js";
import { renderAudit } from "./views/audit.js";
import { renderEntity } from "./views/entity.js";
import { renderPath } from "./views/path.js";
import { renderReview } from "./views/review.js";
import { renderHome, renderSearch } from "./views/search.js";

// What the browser test reads: when each view finished, and the graph drawing times.
window.__explorer = { views: [], graphRenders: [], firstView: null };

const ROUTES = [
  [/^\/?$/, (root, params) => renderHome(root, params)],
  [/^\/search$/, renderSearch],
  [/^\/entity\/([\w-]+)$/, renderEntity],
  [/^\/article\/([\w-]+)$/, renderArticle],
  // Cytoscape is most of the bundle: loaded on the first visit to a neighbourhood only.
  [/^\/graph\/([\w-]+)$/, async (...args) => (await import("./views/graph.js")).renderGraph(...args)],
  [/^\/path$/, renderPath],
  [/^\/review$/, renderReview],
  [/^\/audit$/, renderAudit],
];

function parseHash() {
  const raw = decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
  const [path, query] = raw.split("?");
  return { path, params: new URLSearchParams(query || "") };
}

function header(main) {
  const input = h("input", {
    type: "search",
    id: "search-box",
    placeholder: "搜索机构、人物、地点、事件、政策（简繁均可）",
    "aria-label": "搜索",
    value: parseHash().params.get("q") || "",
  });
  const barSlot = h("div", { class: "bar-slot" });
  const redrawBar = () => {
    fill(barSlot, editorBar(() => {
      redrawBar();
      route(main);
    }));
  };
  redrawBar();
  return h(
    "header",
    { class: "top" },
    h("a", { href: "#/", class: "brand" }, "社工知识图谱"),
    h(
      "form",
      {
        class: "search",
        role: "search",
        onsubmit: (event) => {
          event.preventDefault();
          if (input.value.trim()) location.hash = `#/search?q=${encodeURIComponent(input.value.trim())}`;
        },
      },
      input,
      h("button", { type: "submit", id: "search-button" }, "搜索"),
    ),
    h(
      "nav",
      { class: "main-nav" },
      h("a", { href: "#/path" }, "路径"),
      h("a", { href: "#/review" }, "审核队列"),
      h("a", { href: "#/audit" }, "修改记录"),
      h("a", { href: "/graphql" }, "GraphiQL"),
    ),
    barSlot,
  );
}

let generation = 0;

async function route(main) {
  const mine = ++generation;
  const { path, params } = parseHash();
  main.dataset.ready = "";
  window.scrollTo({ top: 0 });
  // Each visit draws into an element of its own: a slower earlier visit still running
  // writes into its element, no longer on the page, never over this one.
  const view = h("div", { class: "view" });
  main.replaceChildren(view);
  for (const [pattern, render] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    try {
      await render(view, params, ...match.slice(1));
    } catch (e) {
      if (mine !== generation) return;
      fill(view, h("h1", {}, "出错了"), h("p", { class: "status error", id: "page-error" }, e.message));
    }
    if (mine !== generation) return;
    const at = performance.now();
    window.__explorer.views.push({ path, at });
    if (window.__explorer.firstView === null) window.__explorer.firstView = at;
    main.dataset.ready = path;
    return;
  }
  fill(view, h("h1", {}, "没有这个页面"), h("p", {}, h("a", { href: "#/" }, "回到首页")));
  main.dataset.ready = path;
}

function start() {
  const main = h("main", { id: "view" });
  document.body.replaceChildren(header(main), main);
  window.addEventListener("hashchange", () => route(main));
  route(main);
}

start();
