// A relation as the page shows it: its ends, properties, confidence, flags and evidence.

import { evidenceOf } from "./api.js";
import { h, marked } from "./dom.js";
import * as L from "./labels.js";

export function entityLink(node) {
  if (!node) return h("span", { class: "missing" }, "（已删除）");
  const href = node.label === "ARTICLE" ? `#/article/${node.id}` : `#/entity/${node.id}`;
  return h("a", { href, class: `entity ${node.label}`, dataset: { id: node.id } }, node.name);
}

export function badge(labelKey) {
  return h("span", { class: `badge ${labelKey}` }, L.label(labelKey));
}

function properties(relation) {
  const entries = Object.entries(relation.properties || {});
  if (!entries.length) return null;
  return h("span", { class: "props" }, entries.map(([k, v]) => `${k}：${v}`).join("，"));
}

export function flags(relation) {
  return h(
    "span",
    { class: "flags" },
    h("span", { class: "confidence", title: "置信度" }, `置信度 ${relation.confidence.toFixed(2)}`),
    relation.curated ? h("span", { class: "flag curated", title: relation.note || "" }, "人工添加") : null,
    relation.reviewed ? h("span", { class: "flag reviewed" }, "已审核") : null,
    relation.retracted
      ? h("span", { class: "flag retracted", title: relation.retractedReason || "" }, `已撤回：${relation.retractedReason || ""}`)
      : null,
  );
}

/** One piece of evidence: the sentence with the span marked, and its article. */
export function evidenceItem(ev) {
  const local = ev.sentenceStart === null || ev.sentenceStart === undefined ? null : ev.start - ev.sentenceStart;
  const sentence =
    local === null
      ? [ev.sentence]
      : marked(ev.sentence, [{ start: local, end: local + (ev.end - ev.start), cls: "span" }]);
  const article = ev.article;
  const link = article
    ? h(
        "a",
        { class: "article-link", href: `#/article/${article.id}?start=${ev.start}&end=${ev.end}` },
        `《${article.title}》`,
        [article.source, article.date].filter(Boolean).join(" · "),
      )
    : h("span", { class: "missing" }, "文章已不在库中");
  return h(
    "li",
    { class: "evidence" },
    h("q", { class: "sentence" }, sentence),
    " ",
    link,
    h("span", { class: "rule", title: "抽取规则" }, ev.rule),
  );
}

/** A relation row; `extra` (an element) holds controls such as the retract form. */
export function relationRow(relation, extra) {
  const evidence = evidenceOf(relation);
  return h(
    "li",
    { class: `relation${relation.retracted ? " is-retracted" : ""}`, dataset: { relation: relation.id } },
    h(
      "div",
      { class: "relation-head" },
      entityLink(relation.source),
      h("span", { class: "arrow" }, ` —${L.relationType(relation.type)}→ `),
      entityLink(relation.target),
      " ",
      properties(relation),
      flags(relation),
    ),
    evidence.length
      ? h(
          "ul",
          { class: "evidence-list" },
          evidence.map(evidenceItem),
          relation.evidenceCount > evidence.length
            ? h("li", { class: "more-evidence note" }, `另有 ${relation.evidenceCount - evidence.length} 条依据未列出`)
            : null,
        )
      : h("p", { class: "note" }, relation.curated ? `编辑 ${relation.editor || ""} 添加：${relation.note || ""}` : "无原文依据"),
    extra || null,
  );
}
