// An article: title, outlet, date and its full clean text with every mention marked
// (and the evidence span the reader came from).

import * as api from "../api.js";
import { fill, h, marked, note, occurrences } from "../dom.js";
import * as L from "../labels.js";
import { badge, entityLink } from "../relations.js";

export async function renderArticle(root, params, id) {
  fill(root, note("正在读取文章……"));
  const { article } = await api.gql(api.ARTICLE, { id });
  if (!article) {
    fill(root, h("h1", {}, "找不到该文章"), note(`编号 ${id} 不在图谱中。`));
    return;
  }
  const entities = api.nodesOf(article.entities);
  const names = new Map();
  for (const e of entities) for (const form of [e.name, ...e.aliases]) if (form.length > 1) names.set(form, e);
  const spans = occurrences(article.text, [...names.keys()], "mention", (word) => `${names.get(word).name}（${L.label(names.get(word).label)}）`);
  const start = Number(params.get("start"));
  const end = Number(params.get("end"));
  const focus = params.has("start") && end > start ? [{ start, end, cls: "span", title: "关系依据", priority: 1 }] : [];
  // The evidence span wins over the mentions it overlaps (its priority).
  const paragraphs = [];
  let offset = 0;
  for (const para of article.text.split("\n")) {
    const local = [...focus, ...spans]
      .filter((s) => s.start >= offset && s.end <= offset + para.length)
      .map((s) => ({ ...s, start: s.start - offset, end: s.end - offset }));
    const inFocus = focus.length && focus[0].start >= offset && focus[0].start < offset + para.length;
    if (para.trim()) paragraphs.push(h("p", { class: inFocus ? "focus" : null }, marked(para, local)));
    offset += para.length + 1;
  }
  fill(
    root,
    h("h1", { id: "article-title" }, article.title),
    h("p", { class: "meta" }, [article.source || "来源不详", article.date || "日期不详"].join(" · "), article.url ? [" · ", h("a", { href: article.url, rel: "noreferrer" }, "原文链接")] : null),
    h("div", { class: "article-text", id: "article-text" }, paragraphs),
    h("h2", {}, `文中实体（${article.entities.totalCount}）`),
    h("ul", { class: "mentioned" }, entities.map((e) => h("li", {}, entityLink(e), " ", badge(e.label)))),
  );
  const target = root.querySelector("mark.span");
  if (target) target.scrollIntoView({ block: "center" });
}
