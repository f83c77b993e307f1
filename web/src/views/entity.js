// The entity page: who or what it is, where, its relations with their evidence, and the
// editors' forms (alias, merge, new relation, retract).

import * as api from "../api.js";
import { fill, h, note, rerender } from "../dom.js";
import * as E from "../editor.js";
import * as L from "../labels.js";
import { badge, relationRow } from "../relations.js";

/** The administrative chain of a place, from the top down (province › city › ...). */
function chain(place) {
  const out = [];
  for (let p = place; p; p = p.parent) out.unshift(p);
  return out;
}

function placeChain(entity) {
  if (entity.label === "PLACE") return entity.parent ? chain(entity.parent) : [];
  if (entity.label === "EVENT" && entity.place) return chain(entity.place);
  const located = api.nodesOf(entity.located).map((r) => r.target).filter(Boolean);
  return located.length ? chain(located[0]) : [];
}

function facts(entity) {
  const rows = [
    ["类别", [badge(entity.label), entity.kind ? ` ${L.kind(entity.kind)}` : ""]],
    ["别名", entity.aliases.length ? entity.aliases.join("、") : "无"],
  ];
  const places = placeChain(entity);
  if (places.length) {
    const links = [];
    places.forEach((p, i) => {
      if (i) links.push(" › ");
      links.push(h("a", { href: `#/entity/${p.id}` }, p.name));
    });
    rows.push([entity.label === "PLACE" ? "上级行政区" : "所在地", h("span", { class: "admin-chain" }, links)]);
  }
  if (entity.label === "PLACE" && entity.adcode) rows.push(["行政区划代码", entity.adcode]);
  if (entity.label === "EVENT" && (entity.date || entity.dateText)) rows.push(["日期", entity.date || entity.dateText]);
  if (entity.firstSeen) rows.push(["见于报道", `${entity.firstSeen} 至 ${entity.lastSeen || entity.firstSeen}`]);
  rows.push(["关系数", String(entity.degree)]);
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function groupByType(relations) {
  const groups = new Map();
  for (const rel of relations) {
    if (!groups.has(rel.type)) groups.set(rel.type, []);
    groups.get(rel.type).push(rel);
  }
  return [...groups.entries()].sort((a, b) => Object.keys(L.RELATION_TYPES).indexOf(a[0]) - Object.keys(L.RELATION_TYPES).indexOf(b[0]));
}

function editorForms(entity, reload) {
  if (!E.canEdit()) return h("section", { class: "editor-forms" }, h("h2", {}, "编辑"), E.readOnlyNote());
  const aliasInput = h("input", { type: "text", name: "alias", placeholder: "新别名", "aria-label": "新别名" });
  const aliasNote = h("input", { type: "text", name: "note", placeholder: "说明（出处）", "aria-label": "别名说明" });
  const aliasStatus = h("span", { class: "status" });
  const aliasForm = h(
    "form",
    {
      id: "alias-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const data = await E.runEdit(aliasStatus, api.ADD_ALIAS, { id: entity.id, alias: aliasInput.value, note: aliasNote.value || null });
        if (data) reload();
      },
    },
    h("h3", {}, "添加别名"),
    aliasInput,
    aliasNote,
    h("button", { type: "submit" }, "添加"),
    aliasStatus,
  );

  const mergeInput = h("input", { type: "text", name: "merge", placeholder: "要并入的实体（名称或编号）", "aria-label": "要并入的实体" });
  const mergeNote = h("input", { type: "text", name: "note", placeholder: "合并理由", "aria-label": "合并理由" });
  const mergeStatus = h("span", { class: "status" });
  const mergeForm = h(
    "form",
    {
      id: "merge-form",
      onsubmit: async (event) => {
        event.preventDefault();
        let other;
        try {
          other = await E.resolveEntity(mergeInput.value);
        } catch (e) {
          mergeStatus.textContent = e.message;
          mergeStatus.className = "status error";
          return;
        }
        const data = await E.runEdit(mergeStatus, api.MERGE, { keep: entity.id, merge: [other], note: mergeNote.value || null });
        if (data) reload();
      },
    },
    h("h3", {}, `把另一个实体并入“${entity.name}”`),
    mergeInput,
    mergeNote,
    h("button", { type: "submit" }, "合并"),
    mergeStatus,
  );

  const typeSelect = h(
    "select",
    { name: "type", "aria-label": "关系类型" },
    L.ENTITY_RELATION_TYPES.map((t) => h("option", { value: t }, `${L.relationType(t)}（${t}）`)),
  );
  const direction = h(
    "select",
    { name: "direction", "aria-label": "方向" },
    h("option", { value: "out" }, `“${entity.name}” → 另一方`),
    h("option", { value: "in" }, `另一方 → “${entity.name}”`),
  );
  const otherInput = h("input", { type: "text", name: "other", placeholder: "另一方（名称或编号）", "aria-label": "另一方" });
  const relNote = h("input", { type: "text", name: "note", placeholder: "依据（出处）", "aria-label": "关系依据" });
  const relStatus = h("span", { class: "status" });
  const relationForm = h(
    "form",
    {
      id: "relation-form",
      onsubmit: async (event) => {
        event.preventDefault();
        let other;
        try {
          other = await E.resolveEntity(otherInput.value);
        } catch (e) {
          relStatus.textContent = e.message;
          relStatus.className = "status error";
          return;
        }
        const out = direction.value === "out";
        const input = {
          type: typeSelect.value,
          source: out ? entity.id : other,
          target: out ? other : entity.id,
          note: relNote.value || null,
        };
        const data = await E.runEdit(relStatus, api.ADD_RELATION, { input });
        if (data) reload();
      },
    },
    h("h3", {}, "添加关系"),
    direction,
    typeSelect,
    otherInput,
    relNote,
    h("button", { type: "submit" }, "添加"),
    relStatus,
  );
  return h("section", { class: "editor-forms" }, h("h2", {}, "编辑"), aliasForm, relationForm, mergeForm);
}

export async function renderEntity(root, params, id) {
  fill(root, note("正在读取……"));
  const data = await api.gql(api.ENTITY, { id });
  const entity = data.entity;
  if (!entity) {
    fill(root, h("h1", {}, "找不到该实体"), note(`编号 ${id} 不在图谱中（可能已被合并或删除）。`));
    return;
  }
  const reload = rerender;
  const relations = api.nodesOf(entity.relations);
  const retracted = [...api.nodesOf(data.retractedOut), ...api.nodesOf(data.retractedIn)].filter((r) => r.retracted);
  const groups = groupByType(relations).map(([type, rels]) =>
    h(
      "section",
      { class: "relation-group", dataset: { type } },
      h("h3", {}, `${L.relationType(type)}（${rels.length}）`),
      h(
        "ul",
        { class: "relations" },
        rels.map((rel) => relationRow(rel, E.retractControl(rel, reload))),
      ),
    ),
  );
  const articles = api.nodesOf(entity.mentions);
  fill(
    root,
    h("h1", { id: "entity-name" }, entity.name),
    h(
      "nav",
      { class: "entity-actions" },
      h("a", { href: `#/graph/${entity.id}`, id: "open-graph" }, "邻域图"),
      h("a", { href: `#/path?from=${entity.id}` }, "查找路径"),
      h("a", { href: `#/audit?entity=${entity.id}` }, "修改记录"),
    ),
    facts(entity),
    h("h2", {}, `关系（${entity.relations.totalCount}）`),
    entity.relations.totalCount > relations.length
      ? note(`显示前 ${relations.length} 条；邻域图和 GraphQL 接口可看全部。`)
      : null,
    groups.length ? groups : note("没有关系。"),
    retracted.length
      ? h("section", { class: "relation-group retracted-group" }, h("h3", {}, `已撤回（${retracted.length}）`), h("ul", { class: "relations" }, retracted.map((rel) => relationRow(rel))))
      : null,
    h("h2", {}, `提及它的文章（${entity.mentions.totalCount}）`),
    h(
      "ul",
      { class: "articles" },
      articles.map((a) => h("li", {}, h("a", { href: `#/article/${a.id}` }, a.title), " ", h("span", { class: "meta" }, [a.source, a.date].filter(Boolean).join(" · ")))),
    ),
    editorForms(entity, reload),
  );
}
