// Tiny DOM helpers: build elements, mark spans in text.

/** An element with attributes (on* are listeners) and children (strings become text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "value") {
      el.value = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replace the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * `text` with the given spans wrapped in <mark>: spans are {start, end, cls, title,
 * priority} offsets into `text`. Where spans overlap, the higher priority wins, then the
 * earlier, then the longer.
 */
export function marked(text, spans) {
  const ranked = spans
    .filter((s) => s.start >= 0 && s.end > s.start && s.end <= text.length)
    .sort((a, b) => (b.priority || 0) - (a.priority || 0) || a.start - b.start || b.end - a.end);
  const kept = [];
  for (const span of ranked) {
    if (!kept.some((k) => span.start < k.end && k.start < span.end)) kept.push(span);
  }
  kept.sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const span of kept) {
    if (span.start > at) out.push(text.slice(at, span.start));
    out.push(h("mark", { class: span.cls || "hit", title: span.title }, text.slice(span.start, span.end)));
    at = span.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** Every occurrence of each of `words` in `text` as spans (longer words first). */
export function occurrences(text, words, cls, title) {
  const spans = [];
  for (const word of [...new Set(words)].filter(Boolean).sort((a, b) => b.length - a.length)) {
    let i = text.indexOf(word);
    while (i >= 0) {
      spans.push({ start: i, end: i + word.length, cls, title: title ? title(word) : undefined });
      i = text.indexOf(word, i + word.length);
    }
  }
  return spans;
}

/** A short "loading" / error / empty note. */
export function note(text, cls = "note") {
  return h("p", { class: cls }, text);
}

/** Draw the current view again (through the router, as if the address changed). */
export function rerender() {
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}
