// The editors' audit trail, newest first, optionally for one entity or one editor.

import * as api from "../api.js";
import { fill, h, note } from "../dom.js";
import * as L from "../labels.js";

function targetLink(id) {
  if (id.startsWith("rel-")) return h("code", {}, id);
  return h("a", { href: `#/entity/${id}` }, id);
}

function details(entry) {
  const parts = Object.entries(entry.details || {}).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`);
  return parts.join("；");
}

export async function renderAudit(root, params) {
  const entity = params.get("entity") || null;
  const editor = params.get("editor") || null;
  const after = params.get("after") || null;
  fill(root, note("正在读取修改记录……"));
  const data = await api.gql(api.AUDIT, { entity, editor, first: 50, after });
  const entries = api.nodesOf(data.audit);
  const title = entity ? `${entity} 的修改记录` : editor ? `${editor} 的修改记录` : "修改记录";
  const next = new URLSearchParams(params);
  next.set("after", data.audit.pageInfo.endCursor || "");
  fill(
    root,
    h("h1", {}, title),
    h("p", { class: "lead" }, `共 ${data.audit.totalCount} 条，最新的在前。`),
    entries.length
      ? h(
          "table",
          { class: "audit", id: "audit-table" },
          h("thead", {}, h("tr", {}, ["时间", "编辑者", "操作", "对象", "说明", "详情"].map((t) => h("th", {}, t)))),
          h(
            "tbody",
            {},
            entries.map((e) =>
              h(
                "tr",
                { dataset: { action: e.action, target: e.target } },
                h("td", {}, e.at.replace("T", " ").replace("+00:00", " UTC")),
                h("td", {}, h("a", { href: `#/audit?editor=${encodeURIComponent(e.editor)}` }, e.editor)),
                h("td", {}, L.action(e.action)),
                h("td", {}, targetLink(e.target)),
                h("td", {}, e.note || ""),
                h("td", { class: "details" }, details(e)),
              ),
            ),
          ),
        )
      : note("还没有修改记录。"),
    data.audit.pageInfo.hasNextPage ? h("p", {}, h("a", { href: `#/audit?${next}` }, "更早的记录 →")) : null,
  );
}
