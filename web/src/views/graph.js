// The neighbourhood view: 1-2 hops around an entity drawn with Cytoscape.js (fcose
// layout), filtered by relation type; clicking a node opens its page.

import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import * as api from "../api.js";
import { fill, h, note } from "../dom.js";
import * as L from "../labels.js";

cytoscape.use(fcose);

const LIMIT = 200;

function readTypes(params) {
  const raw = params.get("types");
  return raw ? raw.split(",").filter((t) => L.RELATION_TYPES[t]) : [];
}

function hashFor(id, hops, types) {
  const query = new URLSearchParams({ hops: String(hops) });
  if (types.length) query.set("types", types.join(","));
  return `#/graph/${id}?${query}`;
}

function controls(id, hops, types) {
  const hopSelect = h(
    "select",
    { id: "hops", "aria-label": "跳数" },
    [1, 2].map((n) => h("option", { value: String(n), selected: n === hops }, `${n} 跳`)),
  );
  const boxes = L.ENTITY_RELATION_TYPES.map((t) =>
    h(
      "label",
      { class: "type-filter" },
      h("input", { type: "checkbox", name: "types", value: t, checked: types.includes(t) }),
      L.relationType(t),
    ),
  );
  return h(
    "form",
    {
      class: "graph-controls",
      id: "graph-controls",
      onsubmit: (event) => {
        event.preventDefault();
        const chosen = boxes.map((b) => b.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
        location.hash = hashFor(id, Number(hopSelect.value), chosen);
      },
    },
    hopSelect,
    h("fieldset", {}, h("legend", {}, "关系类型（不选即全部）"), boxes),
    h("button", { type: "submit", id: "graph-apply" }, "更新"),
  );
}

function elements(hood) {
  const centre = hood.center.id;
  const nodes = hood.nodes.map((n) => ({
    data: {
      id: n.id,
      name: n.name,
      // Cut here: Cytoscape's own ellipsis measures every label character by character.
      short: n.name.length > 10 ? `${n.name.slice(0, 9)}…` : n.name,
      label: n.label,
      colour: L.COLOURS[n.label] || "#999",
      size: n.id === centre ? 42 : 14 + Math.min(n.degree || 0, 20),
      centre: n.id === centre ? 1 : 0,
    },
  }));
  const edges = hood.edges.map((e) => ({
    data: { id: e.id, source: e.sourceId, target: e.targetId, type: L.relationType(e.type) },
  }));
  return [...nodes, ...edges];
}

const STYLE = [
  {
    selector: "node",
    style: {
      "background-color": "data(colour)",
      width: "data(size)",
      height: "data(size)",
      label: "data(short)",
      "font-size": 11,
      "min-zoomed-font-size": 8, // small labels hide until one zooms in
      "text-valign": "bottom",
      "text-margin-y": 3,
      color: "#222",
      // A label background is far cheaper to paint than a text outline.
      "text-background-color": "#fff",
      "text-background-opacity": 0.75,
      "text-background-padding": 1,
    },
  },
  { selector: "node[centre = 1]", style: { "border-width": 4, "border-color": "#111", "font-size": 14, "font-weight": "bold" } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "line-color": "#b9c2cc",
      "target-arrow-color": "#b9c2cc",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      "arrow-scale": 0.8,
    },
  },
  { selector: "edge:selected, edge.hover", style: { label: "data(type)", "font-size": 10, "line-color": "#555", "target-arrow-color": "#555" } },
  { selector: "node.hover", style: { "border-width": 3, "border-color": "#f0a020" } },
];

export async function renderGraph(root, params, id) {
  const hops = Math.min(Math.max(Number(params.get("hops")) || 1, 1), 2);
  const types = readTypes(params);
  fill(root, note("正在读取邻域……"));
  const { neighbourhood: hood } = await api.gql(api.NEIGHBOURHOOD, {
    id,
    hops,
    types: types.length ? types : null,
    limit: LIMIT,
  });
  const box = h("div", { class: "graph-box", id: "graph" });
  // The status line has its text before the drawing starts: a line appearing above the
  // canvas later would move it under Cytoscape's cached offsets, and clicks would miss.
  const status = h("p", { class: "lead", id: "graph-status" }, "正在绘制……");
  fill(
    root,
    h("h1", {}, h("a", { href: `#/entity/${hood.center.id}` }, hood.center.name), " 的邻域"),
    controls(id, hops, types),
    status,
    box,
    h("p", { class: "note" }, "点击节点打开实体页；把鼠标移到连线上可看关系类型；滚轮缩放，拖动平移。"),
  );
  const started = performance.now();
  const cy = cytoscape({
    container: box,
    elements: elements(hood),
    style: STYLE,
    minZoom: 0.1,
    maxZoom: 4,
  });
  const t1 = performance.now();
  await new Promise((resolve) => {
    const layout = cy.layout({
      name: "fcose",
      quality: "default",
      animate: false,
      randomize: true,
      nodeDimensionsIncludeLabels: false,
      idealEdgeLength: () => 70,
      nodeRepulsion: () => 6000,
      packComponents: true,
      fit: true,
      padding: 20,
    });
    layout.one("layoutstop", resolve);
    layout.run();
  });
  const t2 = performance.now();
  // One frame so the drawing is on screen before the time is taken.
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const ms = performance.now() - started;
  if (!box.isConnected) return; // the reader moved on meanwhile
  window.__explorer.graphRenders.push({
    nodes: hood.nodes.length,
    edges: hood.edges.length,
    ms,
    setupMs: t1 - started,
    layoutMs: t2 - t1,
    paintMs: performance.now() - t2,
  });
  status.textContent = `${hood.nodes.length} 个节点，${hood.edges.length} 条关系${hood.truncated ? `（超过 ${LIMIT} 个节点，已截断）` : ""}；绘制用时 ${Math.round(ms)} 毫秒。`;
  cy.resize(); // in case the page moved the canvas meanwhile
  cy.on("tap", "node", (event) => {
    location.hash = `#/entity/${event.target.id()}`;
  });
  cy.on("mouseover", "node, edge", (event) => event.target.addClass("hover"));
  cy.on("mouseout", "node, edge", (event) => event.target.removeClass("hover"));
  box.dataset.ready = "1";
  window.__explorer.cy = cy;
}
