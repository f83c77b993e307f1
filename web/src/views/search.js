// The start page (overview) and search results grouped by label.

import * as api from "../api.js";
import { fill, h, note } from "../dom.js";
import * as L from "../labels.js";
import { badge, entityLink } from "../relations.js";

function placeOf(node) {
  if (node.label === "PLACE") return node.parent ? node.parent.name : "";
  if (node.label === "EVENT" && node.place) return node.place.name;
  const located = api.nodesOf(node.located);
  return located.length && located[0].target ? located[0].target.name : "";
}

export async function renderHome(root) {
  fill(root, note("正在读取概况……"));
  const { stats } = await api.gql(api.STATS);
  const counts = stats.nodesByLabel.filter((c) => c.count > 0);
  fill(
    root,
    h("h1", {}, "社会工作领域知识图谱"),
    h(
      "p",
      { class: "lead" },
      `共 ${stats.nodes} 个节点、${stats.relations} 条关系：`,
      counts.map((c) => `${L.label(c.label)} ${c.count}`).join("，"),
      "。在上方搜索机构、人物、地点、事件或政策（简体、繁体均可）。",
    ),
    h("h2", {}, "关联最多的实体"),
    h(
      "ol",
      { class: "top-list" },
      stats.mostConnected.map((row) =>
        h("li", {}, entityLink(row.entity), " ", badge(row.entity.label), h("span", { class: "degree" }, `${row.degree} 条关系`)),
      ),
    ),
  );
}

export async function renderSearch(root, params) {
  const text = params.get("q") || "";
  if (!text.trim()) return renderHome(root);
  fill(root, note(`正在搜索“${text}”……`));
  const data = await api.gql(api.SEARCH, { text, first: 100 });
  const found = api.nodesOf(data.search);
  const groups = new Map();
  for (const node of found) {
    if (!groups.has(node.label)) groups.set(node.label, []);
    groups.get(node.label).push(node);
  }
  const sections = L.LABEL_ORDER.filter((key) => groups.has(key)).map((key) =>
    h(
      "section",
      { class: "result-group", dataset: { label: key } },
      h("h2", {}, `${L.label(key)}（${groups.get(key).length}）`),
      h(
        "table",
        { class: "results" },
        h("thead", {}, h("tr", {}, h("th", {}, "名称"), h("th", {}, "类型"), h("th", {}, "地点"), h("th", {}, "关系数"))),
        h(
          "tbody",
          {},
          groups.get(key).map((node) =>
            h(
              "tr",
              { class: "result", dataset: { id: node.id } },
              h(
                "td",
                {},
                entityLink(node),
                node.aliases.length ? h("span", { class: "aliases" }, `（又名 ${node.aliases.slice(0, 3).join("、")}）`) : null,
              ),
              h("td", {}, L.kind(node.kind)),
              h("td", {}, placeOf(node)),
              h("td", { class: "num" }, String(node.degree)),
            ),
          ),
        ),
      ),
    ),
  );
  fill(
    root,
    h("h1", {}, `“${text}”的搜索结果`),
    h("p", { class: "lead", id: "result-count" }, `共 ${data.search.totalCount} 个实体${data.search.totalCount > found.length ? `，显示前 ${found.length} 个` : ""}。`),
    sections.length ? sections : note("没有找到。试试更短的名称或别名。"),
  );
}
