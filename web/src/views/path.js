// The path view: the shortest path between two entities, each step with its sentences.

import * as api from "../api.js";
import { fill, h, note } from "../dom.js";
import { resolveEntity } from "../editor.js";
import * as L from "../labels.js";
import { entityLink, evidenceItem, flags } from "../relations.js";

async function nameOf(id) {
  if (!id) return "";
  const data = await api.gql(api.ENTITY_NAME, { id }).catch(() => null);
  return data && data.entity ? data.entity.name : id;
}

export async function renderPath(root, params) {
  const from = params.get("from") || "";
  const to = params.get("to") || "";
  const maxHops = Math.min(Math.max(Number(params.get("hops")) || 4, 1), 6);
  const fromInput = h("input", { type: "text", id: "path-from", placeholder: "起点（名称或编号）", value: await nameOf(from), "aria-label": "起点" });
  const toInput = h("input", { type: "text", id: "path-to", placeholder: "终点（名称或编号）", value: await nameOf(to), "aria-label": "终点" });
  const hopInput = h("input", { type: "number", id: "path-hops", min: "1", max: "6", value: String(maxHops), "aria-label": "最多跳数" });
  const status = h("p", { class: "status", id: "path-status" });
  const result = h("div", { id: "path-result" });
  const form = h(
    "form",
    {
      class: "path-form",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const [a, b] = await Promise.all([resolveEntity(fromInput.value), resolveEntity(toInput.value)]);
          location.hash = `#/path?${new URLSearchParams({ from: a, to: b, hops: hopInput.value })}`;
        } catch (e) {
          status.textContent = e.message;
          status.className = "status error";
        }
      },
    },
    fromInput,
    " → ",
    toInput,
    h("label", {}, " 最多 ", hopInput, " 跳 "),
    h("button", { type: "submit", id: "path-find" }, "查找路径"),
  );
  fill(root, h("h1", {}, "两个实体之间的最短路径"), form, status, result);
  if (!from || !to) return;
  fill(result, note("正在查找……"));
  const { path } = await api.gql(api.PATH, { from, to, maxHops });
  if (!path) {
    fill(result, note(`${maxHops} 跳以内没有路径。`, "note empty"));
    return;
  }
  const steps = path.relations.map((rel, i) => {
    const here = path.nodes[i];
    const there = path.nodes[i + 1];
    const forward = rel.sourceId === here.id;
    return h(
      "li",
      { class: "step", dataset: { relation: rel.id } },
      h(
        "div",
        { class: "relation-head" },
        entityLink(here),
        h("span", { class: "arrow" }, forward ? ` —${L.relationType(rel.type)}→ ` : ` ←${L.relationType(rel.type)}— `),
        entityLink(there),
        flags(rel),
      ),
      h("ul", { class: "evidence-list" }, api.evidenceOf(rel).map(evidenceItem)),
    );
  });
  fill(
    result,
    h("p", { class: "lead" }, `${path.length} 步：`, path.nodes.map((n) => n.name).join(" — ")),
    h("ol", { class: "path-steps" }, steps),
  );
}
