// The editors' review queue: weak or single-evidence extracted relations, oldest first;
// accept (marked reviewed) or retract each with one click.

import * as api from "../api.js";
import { fill, h, note } from "../dom.js";
import * as E from "../editor.js";
import { relationRow } from "../relations.js";

const PAGE = 20;
const DEFAULT_REASON = "审核未通过";

function row(rel, onGone) {
  const status = h("span", { class: "status" });
  const accept = h(
    "button",
    {
      type: "button",
      class: "accept",
      disabled: !E.canEdit(),
      onclick: async () => {
        const data = await E.runEdit(status, api.ACCEPT, { id: rel.id });
        if (data) onGone(item);
      },
    },
    "通过",
  );
  const retract = h(
    "button",
    {
      type: "button",
      class: "retract",
      disabled: !E.canEdit(),
      onclick: async () => {
        const reason = document.getElementById("review-reason").value.trim() || DEFAULT_REASON;
        const data = await E.runEdit(status, api.RETRACT, { id: rel.id, reason });
        if (data) onGone(item);
      },
    },
    "撤回",
  );
  const item = relationRow(rel, h("div", { class: "review-actions" }, accept, retract, status));
  return item;
}

export async function renderReview(root, params) {
  // ?max=0 is a threshold of 0, not "absent": only a missing or unreadable value gives 0.8
  const asked = Number(params.get("max") ?? "");
  const max = params.get("max") && Number.isFinite(asked) ? Math.min(Math.max(asked, 0), 1) : 0.8;
  const after = params.get("after") || null;
  fill(root, note("正在读取审核队列……"));
  const data = await api.gql(api.REVIEW_QUEUE, { max, first: PAGE, after });
  const queue = data.reviewQueue;
  const count = h("span", { id: "review-count" }, String(queue.totalCount));
  const list = h("ul", { class: "relations review-list", id: "review-list" });
  const gone = (item) => {
    item.remove();
    count.textContent = String(Math.max(0, Number(count.textContent) - 1));
  };
  for (const rel of api.nodesOf(queue)) list.append(row(rel, gone));
  const maxInput = h("input", { type: "number", id: "review-max", min: "0", max: "1", step: "0.05", value: String(max), "aria-label": "置信度阈值" });
  fill(
    root,
    h("h1", {}, "审核队列"),
    h(
      "p",
      { class: "lead" },
      "置信度低于阈值、或只有一条原文依据的抽取关系，最早入库的在前。共 ",
      count,
      " 条。通过后不再出现（重新抽取也不会）；撤回后不再显示。",
    ),
    h(
      "form",
      {
        class: "review-controls",
        onsubmit: (event) => {
          event.preventDefault();
          location.hash = `#/review?max=${maxInput.value}`;
        },
      },
      h("label", {}, "置信度阈值 ", maxInput),
      h("button", { type: "submit" }, "刷新"),
      h("label", {}, " 撤回理由 ", h("input", { type: "text", id: "review-reason", value: DEFAULT_REASON, "aria-label": "撤回理由" })),
    ),
    E.canEdit() ? null : E.readOnlyNote(),
    queue.totalCount ? list : note("队列是空的。"),
    queue.pageInfo.hasNextPage ? h("p", {}, h("a", { href: `#/review?max=${max}&after=${queue.pageInfo.endCursor}` }, "下一页 →")) : null,
  );
}
