// The editors' side: the token box, and the controls that change the graph. Without a
// token in this browser session every control is disabled and says why; the server
// refuses edits without the token anyway (the page never decides that alone).

import * as api from "./api.js";
import { h } from "./dom.js";

const ID_PATTERN = /^(org|per|plc|pol|evt)-[0-9a-f]{16}$/;

export function canEdit() {
  return Boolean(api.editorToken());
}

/** The header's token form: enter once per browser session, or leave editing. */
export function editorBar(onChange) {
  if (canEdit()) {
    return h(
      "div",
      { class: "editor-bar on", id: "editor-bar" },
      h("span", { class: "who" }, `编辑模式：${api.editorName() || "（未署名）"}`),
      h(
        "button",
        {
          type: "button",
          id: "editor-logout",
          onclick: () => {
            api.setEditor("", "");
            onChange();
          },
        },
        "退出编辑",
      ),
    );
  }
  const token = h("input", {
    type: "password",
    id: "editor-token",
    placeholder: "编辑令牌",
    autocomplete: "off",
    "aria-label": "编辑令牌",
  });
  const name = h("input", {
    type: "text",
    id: "editor-name",
    placeholder: "编辑者姓名",
    "aria-label": "编辑者姓名",
  });
  return h(
    "form",
    {
      class: "editor-bar",
      id: "editor-bar",
      onsubmit: (event) => {
        event.preventDefault();
        if (!token.value.trim()) return;
        api.setEditor(token.value.trim(), name.value.trim());
        onChange();
      },
    },
    h("span", { class: "who" }, "只读模式"),
    token,
    name,
    h("button", { type: "submit", id: "editor-login" }, "进入编辑"),
  );
}

/** The note shown beside disabled controls. */
export function readOnlyNote() {
  return h("p", { class: "read-only", role: "note" }, "只读：在页面顶部输入编辑令牌后才能修改。");
}

/** Run an edit; shows the outcome in `status` (an element) and returns the data or null. */
export async function runEdit(status, query, variables) {
  status.textContent = "正在提交……";
  status.className = "status";
  try {
    const data = await api.gql(query, variables, { edit: true });
    status.textContent = "已保存。";
    status.className = "status ok";
    return data;
  } catch (e) {
    const refused = e.code === "FORBIDDEN" ? "操作被拒绝" : "操作失败";
    status.textContent = `${refused}：${e.message}`;
    status.className = "status error";
    return null;
  }
}

/**
 * An entity id for what an editor typed: an id as it is, else the entity whose name or
 * alias it is (exactly); throws with the candidates when that is not one entity.
 */
export async function resolveEntity(text) {
  const wanted = text.trim();
  if (!wanted) throw new Error("请填写实体名称或编号");
  if (ID_PATTERN.test(wanted)) return wanted;
  const data = await api.gql(api.SEARCH, { text: wanted, first: 10 });
  const found = api.nodesOf(data.search);
  const exact = found.filter((n) => n.name === wanted || n.aliases.includes(wanted));
  if (exact.length === 1) return exact[0].id;
  const candidates = (exact.length ? exact : found).slice(0, 5);
  if (!candidates.length) throw new Error(`找不到“${wanted}”`);
  const names = candidates.map((n) => `${n.name}（${n.id}）`).join("、");
  throw new Error(`“${wanted}”不唯一或不精确，请用编号：${names}`);
}

/** A retract control for one relation (a reason field and a button); none when read-only. */
export function retractControl(relation, onDone) {
  if (!canEdit()) return null;
  const reason = h("input", {
    type: "text",
    class: "reason",
    placeholder: "撤回理由（必填）",
    "aria-label": "撤回理由",
  });
  const status = h("span", { class: "status" });
  const button = h(
    "button",
    {
      type: "button",
      class: "retract",
      title: "撤回这条关系",
      onclick: async () => {
        if (!reason.value.trim()) {
          status.textContent = "请填写撤回理由";
          status.className = "status error";
          return;
        }
        const data = await runEdit(status, api.RETRACT, { id: relation.id, reason: reason.value });
        if (data && onDone) onDone(data.retractRelation);
      },
    },
    "撤回",
  );
  return h("span", { class: "retract-control", dataset: { relation: relation.id } }, reason, button, status);
}
