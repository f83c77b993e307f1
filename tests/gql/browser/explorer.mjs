// Drives headless Chromium (Debian's, through playwright-core) through the explorer
// served by `shegong serve`. Run by tests/gql/test_explorer.py, which passes a JSON plan
// in EXPLORER_PLAN and reads one JSON line of findings from stdout. Any failed
// expectation exits 1 with the reason on stderr; requests leaving localhost are blocked
// and reported.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const plan = JSON.parse(process.env.EXPLORER_PLAN);
const found = { blocked: [], errors: [], screenshots: [] };

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

mkdirSync(plan.out, { recursive: true });
const browser = await chromium.launch({
  executablePath: plan.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  // Offline: anything not served by the local server is refused (and reported).
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || ["127.0.0.1", "localhost"].includes(url.hostname)) return route.continue();
    found.blocked.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => found.errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") found.errors.push(`console: ${m.text()}`);
  });
  return page;
}

async function ready(page, prefix) {
  await page.waitForSelector(`main[data-ready^='${prefix}']`, { timeout: 20000 });
  const error = await page.$("#page-error");
  expect(!error, `the page reported an error: ${error && (await error.textContent())}`);
}

/** How many neighbourhoods the page has drawn so far. */
async function drawn(page) {
  return page.evaluate(() => window.__explorer.graphRenders.length);
}

/** Wait until the page has drawn more than `before` neighbourhoods. */
async function drawnAfter(page, before) {
  await page.waitForFunction((n) => window.__explorer.graphRenders.length > n, before, { timeout: 30000 });
}

async function shot(page, name, fullPage = false) {
  const path = join(plan.out, `${name}.png`);
  await page.screenshot({ path, fullPage });
  found.screenshots.push(path);
}

function reloadStore() {
  // Extract the corpus again into the running server's store (what an editor's work
  // must survive).
  execFileSync(plan.reload[0], plan.reload.slice(1), { stdio: ["ignore", "ignore", "inherit"] });
}

const base = plan.base;
const page = await newPage();

try {
  // -- overview and page load ------------------------------------------------------------
  await page.goto(`${base}/`);
  await ready(page, "/");
  found.pageLoad = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return { firstViewMs: window.__explorer.firstView, loadEventMs: nav.loadEventEnd, domContentLoadedMs: nav.domContentLoadedEventEnd };
  });
  await shot(page, "01-overview");
  // Four more loads (the machine is shared: one number says little).
  found.pageLoads = [found.pageLoad.firstViewMs];
  for (let i = 0; i < 4; i++) {
    await page.reload();
    await ready(page, "/");
    found.pageLoads.push(await page.evaluate(() => window.__explorer.firstView));
  }

  // Bad input: an unknown id, a path between names that are not there.
  await page.goto(`${base}/#/entity/org-0000000000000000`);
  await ready(page, "/entity");
  found.unknownEntity = await page.textContent("main h1");
  await page.goto(`${base}/#/path`);
  await ready(page, "/path");
  await page.fill("#path-from", "不存在的机构名称");
  await page.fill("#path-to", "中国社会工作联合会");
  await page.click("#path-find");
  await page.waitForSelector("#path-status.error");
  found.unknownPathEnd = await page.textContent("#path-status");

  // -- search (traditional input) --------------------------------------------------------
  await page.fill("#search-box", plan.search.text);
  await page.click("#search-button");
  await ready(page, "/search");
  const group = await page.$(`section.result-group[data-label='${plan.search.label}'] tr.result[data-id='${plan.search.id}']`);
  expect(group, `search for ${plan.search.text} did not list ${plan.search.id} under ${plan.search.label}`);
  found.searchRows = await page.$$eval("tr.result", (rows) => rows.map((r) => r.dataset.id));
  await shot(page, "02-search", true);

  // -- entity page with evidence ---------------------------------------------------------
  await page.click(`tr.result[data-id='${plan.search.id}'] a.entity`);
  await ready(page, "/entity");
  found.entityName = await page.textContent("#entity-name");
  found.evidenceSpans = await page.$$eval("li.evidence mark.span", (marks) => marks.map((m) => m.textContent));
  found.relationTypes = await page.$$eval("section.relation-group", (groups) => groups.map((g) => g.dataset.type));
  found.adminChain = await page.$$eval(".admin-chain a", (links) => links.map((a) => a.textContent));
  await shot(page, "03-entity");

  // -- article with the span and the mentions marked --------------------------------------
  await page.click("li.evidence a.article-link");
  await ready(page, "/article");
  found.article = {
    title: await page.textContent("#article-title"),
    span: await page.$eval("#article-text mark.span", (m) => m.textContent).catch(() => null),
    mentions: await page.$$eval("#article-text mark.mention", (marks) => marks.length),
  };
  await shot(page, "04-article");
  await page.goBack();
  await ready(page, "/entity");

  // -- neighbourhood: 2 hops, a type filter, click through --------------------------------
  let renders = await drawn(page);
  await page.click("#open-graph");
  await drawnAfter(page, renders);
  await ready(page, "/graph");
  renders = await drawn(page);
  await page.selectOption("#hops", "2");
  await page.click("#graph-apply");
  await drawnAfter(page, renders);
  const hood = await page.evaluate(() => {
    const cy = window.__explorer.cy;
    return { nodes: cy.nodes().length, edges: cy.edges().length, types: [...new Set(cy.edges().map((e) => e.data("type")))] };
  });
  found.neighbourhood = hood;
  await shot(page, "05-neighbourhood");
  // Filter on one relation type: only that type is drawn.
  renders = await drawn(page);
  await page.check(`input[name='types'][value='${plan.graphType.type}']`);
  await page.click("#graph-apply");
  await drawnAfter(page, renders);
  found.filteredTypes = await page.evaluate(() => [...new Set(window.__explorer.cy.edges().map((e) => e.data("type")))]);
  // Back to all types, then click a node that is not the centre.
  renders = await drawn(page);
  await page.goto(`${base}/#/graph/${plan.search.id}?hops=2`);
  await drawnAfter(page, renders);
  await ready(page, "/graph");
  const target = await page.evaluate((centre) => {
    // A node in the viewport, the one furthest from its nearest neighbour (no overlap).
    const cy = window.__explorer.cy;
    const box = document.getElementById("graph").getBoundingClientRect();
    const spots = cy.nodes().map((n) => ({ n, x: box.left + n.renderedPosition().x, y: box.top + n.renderedPosition().y }));
    const inside = spots.filter((s) => s.n.id() !== centre && s.y > box.top + 20 && s.y < innerHeight - 20);
    const room = (s) => Math.min(...spots.filter((o) => o !== s).map((o) => Math.hypot(o.x - s.x, o.y - s.y)));
    const best = inside.sort((a, b) => room(b) - room(a))[0];
    return { id: best.n.id(), name: best.n.data("name"), x: best.x, y: best.y };
  }, plan.search.id);
  // A tap as a person makes it (Cytoscape misses a zero-length click).
  await page.mouse.move(target.x, target.y);
  await page.mouse.down();
  await page.waitForTimeout(80);
  await page.mouse.up();
  await ready(page, "/entity");
  found.clickedThrough = { expected: target.name, got: await page.textContent("#entity-name") };

  // -- path -------------------------------------------------------------------------------
  await page.goto(`${base}/#/path`);
  await ready(page, "/path");
  await page.fill("#path-from", plan.path.fromName);
  await page.fill("#path-to", plan.path.toName);
  await page.click("#path-find");
  await page.waitForSelector("#path-result li.step");
  await ready(page, "/path");
  found.path = await page.$$eval("#path-result li.step", (steps) =>
    steps.map((s) => ({ relation: s.dataset.relation, sentences: s.querySelectorAll("li.evidence").length })),
  );
  await shot(page, "06-path", true);

  // -- read-only: no token, then a wrong token -------------------------------------------
  const readOnly = await newPage();
  await readOnly.goto(`${base}/#/review`);
  await ready(readOnly, "/review");
  found.readOnly = {
    note: await readOnly.$eval(".read-only", (n) => n.textContent).catch(() => null),
    enabledAccept: await readOnly.$$eval("button.accept", (bs) => bs.filter((b) => !b.disabled).length),
    accepts: await readOnly.$$eval("button.accept", (bs) => bs.length),
  };
  await readOnly.goto(`${base}/#/entity/${plan.retract.entity}`);
  await ready(readOnly, "/entity");
  found.readOnly.retractControls = await readOnly.$$eval(".retract-control", (cs) => cs.length);
  found.readOnly.formsNote = await readOnly.$eval(".editor-forms .read-only", (n) => n.textContent).catch(() => null);
  // A wrong token gets controls, but the server refuses: nothing changes.
  await readOnly.fill("#editor-token", "not-the-token");
  await readOnly.fill("#editor-name", "冒名者");
  await readOnly.click("#editor-login");
  await readOnly.waitForSelector("#editor-logout");
  await readOnly.goto(`${base}/#/review`);
  await ready(readOnly, "/review");
  const firstItem = await readOnly.$eval("#review-list li.relation", (li) => li.dataset.relation);
  await readOnly.click(`#review-list li.relation[data-relation='${firstItem}'] button.accept`);
  await readOnly.waitForSelector(`#review-list li.relation[data-relation='${firstItem}'] .status.error`);
  found.wrongToken = {
    relation: firstItem,
    message: await readOnly.textContent(`#review-list li.relation[data-relation='${firstItem}'] .status.error`),
  };
  await shot(readOnly, "07-refused");
  await readOnly.context().close();

  // -- an editor: token once per session --------------------------------------------------
  await page.goto(`${base}/`);
  await ready(page, "/");
  await page.fill("#editor-token", plan.token);
  await page.fill("#editor-name", plan.editor);
  await page.click("#editor-login");
  await page.waitForSelector("#editor-logout");
  found.sessionToken = await page.evaluate(() => sessionStorage.getItem("shegong.editorToken") !== null);

  // Retract a relation with a reason; it is gone from the active list, and stays gone
  // after the corpus is loaded again.
  await page.goto(`${base}/#/entity/${plan.retract.entity}`);
  await ready(page, "/entity");
  const control = `.retract-control[data-relation='${plan.retract.relation}']`;
  // No reason: refused on the page, nothing sent.
  await page.click(`${control} button.retract`);
  found.retractWithoutReason = await page.textContent(`${control} .status`);
  await page.fill(`${control} input.reason`, plan.retract.reason);
  await page.click(`${control} button.retract`);
  // The page draws itself again after the edit, the relation among the retracted ones.
  await page.waitForSelector(`.retracted-group li.relation[data-relation='${plan.retract.relation}']`);
  await ready(page, "/entity");
  const active = async () =>
    page.$$eval(`section.relation-group:not(.retracted-group) li.relation[data-relation='${plan.retract.relation}']`, (l) => l.length);
  const retractedShown = async () =>
    page.$$eval(`.retracted-group li.relation[data-relation='${plan.retract.relation}']`, (l) => l.length);
  found.retract = { activeAfter: await active(), retractedAfter: await retractedShown() };
  reloadStore();
  await page.reload();
  await ready(page, "/entity");
  found.retract.activeAfterReload = await active();
  found.retract.retractedAfterReload = await retractedShown();
  await shot(page, "08-entity-retracted");

  // Add an alias and a relation through the forms.
  await page.fill("#alias-form input[name='alias']", plan.alias);
  await page.fill("#alias-form input[name='note']", "浏览器测试");
  await page.click("#alias-form button[type='submit']");
  await page.waitForFunction((alias) => document.querySelector("dl.facts")?.textContent.includes(alias), plan.alias);
  await ready(page, "/entity");
  found.aliasShown = (await page.textContent("dl.facts")).includes(plan.alias);
  await page.selectOption("#relation-form select[name='type']", plan.addRelation.type);
  await page.fill("#relation-form input[name='other']", plan.addRelation.other);
  await page.fill("#relation-form input[name='note']", "浏览器测试添加");
  await page.click("#relation-form button[type='submit']");
  await page.waitForSelector(`section.relation-group[data-type='${plan.addRelation.type}'] .flag.curated`);
  await ready(page, "/entity");
  found.addedRelation = await page.$$eval(`section.relation-group[data-type='${plan.addRelation.type}'] .flag.curated`, (f) => f.length);

  // Accept the oldest item of the review queue; it leaves and stays out after a reload.
  await page.goto(`${base}/#/review`);
  await ready(page, "/review");
  const before = Number(await page.textContent("#review-count"));
  const accepted = await page.$eval("#review-list li.relation", (li) => li.dataset.relation);
  await page.click(`#review-list li.relation[data-relation='${accepted}'] button.accept`);
  await page.waitForSelector(`#review-list li.relation[data-relation='${accepted}']`, { state: "detached" });
  found.review = { accepted, before, after: Number(await page.textContent("#review-count")) };
  reloadStore();
  await page.reload();
  await ready(page, "/review");
  found.review.afterReload = Number(await page.textContent("#review-count"));
  found.review.listedAfterReload = await page.$$eval(`#review-list li.relation[data-relation='${accepted}']`, (l) => l.length);
  await shot(page, "09-review");

  // The audit trail on the page.
  await page.goto(`${base}/#/audit`);
  await ready(page, "/audit");
  found.audit = await page.$$eval("#audit-table tbody tr", (rows) => rows.map((r) => [r.dataset.action, r.dataset.target]));
  await shot(page, "10-audit");

  // -- GraphiQL, offline ------------------------------------------------------------------
  const ide = await newPage();
  await ide.goto(`${base}/graphql`);
  await ide.waitForSelector(".graphiql-container .graphiql-query-editor", { timeout: 20000 });
  await ide.click(".graphiql-execute-button");
  await ide.waitForFunction(() => (document.querySelector(".graphiql-response") || {}).textContent?.includes("mostConnected"), null, { timeout: 20000 });
  found.graphiql = { response: (await ide.textContent(".graphiql-response")).slice(0, 200) };
  await shot(ide, "11-graphiql");
  await ide.context().close();

  // -- a 200-node neighbourhood ------------------------------------------------------------
  const big = await newPage();
  await big.goto(`${plan.bigBase}/#/graph/${plan.bigCentre}?hops=2`);
  await big.waitForSelector("#graph[data-ready='1']", { timeout: 30000 });
  found.bigGraph = await big.evaluate(() => window.__explorer.graphRenders.at(-1));
  // Drawn twice more in the same page (one number on a shared machine says little).
  for (let i = 1; i <= 2; i++) {
    const before = await drawn(big);
    await big.goto(`${plan.bigBase}/#/graph/${plan.bigCentre}?hops=2&again=${i}`);
    await drawnAfter(big, before);
  }
  found.bigGraphs = await big.evaluate(() => window.__explorer.graphRenders);
  found.bigPageLoad = await big.evaluate(() => ({ firstViewMs: window.__explorer.firstView }));
  await shot(big, "12-neighbourhood-200");
  // Merge one entity into another through the entity page's form.
  await big.fill("#editor-token", plan.token);
  await big.fill("#editor-name", plan.editor);
  await big.click("#editor-login");
  await big.waitForSelector("#editor-logout");
  await big.goto(`${plan.bigBase}/#/entity/${plan.merge.keep}`);
  await ready(big, "/entity");
  await big.fill("#merge-form input[name='merge']", plan.merge.other);
  await big.fill("#merge-form input[name='note']", "浏览器测试：同一人");
  await big.click("#merge-form button[type='submit']");
  await big.waitForFunction((name) => document.querySelector("dl.facts")?.textContent.includes(name), plan.merge.other);
  found.merged = (await big.textContent("dl.facts")).includes(plan.merge.other);
  await big.context().close();
} catch (error) {
  // Where it stopped, for whoever reads the failure.
  await page.screenshot({ path: join(plan.out, "failure.png"), fullPage: true }).catch(() => {});
  await browser.close();
  throw error;
}
await browser.close();
console.log(JSON.stringify(found));
