// The organisation posture as one self-contained HTML page: no network (a Content-Security-Policy
// of `default-src 'none'` with the page's own style and script allowed by hash), no CDN, no fonts
// or images fetched. The posture is embedded as JSON (with `<`, `>`, `&` and line separators
// escaped, so no value can close the script element) and rendered by the page's script with DOM
// text nodes only: every value from the reports (which their repositories wrote) stays text. The
// systems × controls matrix is paginated and filtered in the page, so it stays usable at 10,000
// systems; the filters live in the URL's fragment, so a view can be linked.
import { createHash } from "node:crypto";
import type { Posture } from "./posture.js";

/** JSON for a `<script type="application/json">` element: parses to the same value, cannot end the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const sha256 = (s: string) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderPostureHtml(posture: Posture, opts: { title?: string } = {}): string {
  const title = opts.title ?? "AI security posture";
  const csp = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    BODY.replace("%TITLE%", escapeHtml(title)),
    `<script type="application/json" id="posture-data">${scriptJson(posture)}</script>`,
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

const STYLE = String.raw`
:root { --fail: #d73a49; --accepted: #e3a008; --notclaimed: #d1d5da; --claimed: #79b8ff; --supplier: #b392f0; --verified: #28a745; --na: #f6f8fa; --absent: #ffffff; --ink: #24292e; --muted: #586069; --line: #e1e4e8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0; background: #fff; }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
#meta { color: var(--muted); margin: 0; }
nav { padding: 6px 24px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: #fff; z-index: 5; }
nav a { margin-right: 16px; color: #0366d6; text-decoration: none; }
main { padding: 8px 24px 40px; }
section { margin: 14px 0 24px; }
h2 { font-size: 18px; margin: 0 0 8px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; min-width: 96px; }
.card b { display: block; font-size: 18px; }
.card span { color: var(--muted); font-size: 12px; }
.card.bad b { color: var(--fail); } .card.good b { color: var(--verified); } .card.warn b { color: #b08800; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 6px 0; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
form.filters input, form.filters select, button { font: inherit; padding: 3px 6px; }
form.filters select { max-width: 280px; }
.pager { display: flex; gap: 8px; align-items: center; margin: 6px 0; }
.scroll { overflow: auto; max-height: 75vh; border: 1px solid var(--line); }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; white-space: nowrap; }
#matrix th.ctl { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; font-size: 10px; padding: 4px 1px; height: 175px; vertical-align: bottom; text-align: left; }
#matrix thead th { position: sticky; top: 0; background: #fff; z-index: 2; }
#matrix td.c { width: 16px; min-width: 16px; height: 18px; padding: 0; border: 1px solid #fff; font-size: 9px; text-align: center; color: rgba(0,0,0,.55); }
#matrix .sticky { position: sticky; left: 0; background: #fff; z-index: 1; max-width: 260px; overflow: hidden; text-overflow: ellipsis; }
#matrix .sticky2 { position: sticky; left: 160px; background: #fff; z-index: 1; max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
#matrix thead th.sticky, #matrix thead th.sticky2 { z-index: 3; }
#matrix tbody tr { cursor: pointer; }
#matrix tbody tr:hover td.sticky, #matrix tbody tr:hover td.sticky2 { background: #f1f8ff; }
#matrix td.repo { min-width: 160px; width: 160px; }
.s-F { background: var(--fail); } .s-A { background: var(--accepted); } .s-N { background: var(--notclaimed); } .s-C { background: var(--claimed); }
.s-S { background: var(--supplier); } .s-V { background: var(--verified); } .s--, .s-na { background: var(--na); } .s-_ { background: var(--absent); }
.verdict { font-weight: 600; } .v-passed { color: var(--verified); } .v-failed { color: var(--fail); } .v-not-evaluated { color: #b08800; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 6px 0; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; margin-right: 4px; border: 1px solid var(--line); }
.bar { display: inline-block; height: 10px; background: #0366d6; vertical-align: middle; }
.badge { font-size: 11px; border-radius: 8px; padding: 0 6px; border: 1px solid var(--line); margin-left: 4px; }
.badge.new { background: #dcffe4; } .badge.worse { background: #ffdce0; } .badge.better { background: #dcffe4; }
#detail { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin-top: 10px; }
#detail[hidden] { display: none; }
.muted { color: var(--muted); }
.expired { color: var(--fail); font-weight: 600; } .expiring { color: #b08800; font-weight: 600; }
ul.compact { margin: 4px 0; padding-left: 20px; }
`;

const BODY = String.raw`<header><h1>%TITLE%</h1><p id="meta"></p></header>
<nav><a href="#matrix-section">Systems × controls</a><a href="#threats-section">Threats</a><a href="#rules-section">Failing rules</a><a href="#acceptances-section">Risk acceptances</a><a href="#change-section">Change</a><a href="#inputs-section">Inputs</a></nav>
<main>
<section id="totals" class="cards" aria-label="Totals"></section>
<section id="matrix-section">
<h2>Systems × controls</h2>
<form class="filters" id="filters" role="search">
<label>Search repository or system<input id="f-text" type="search" size="28" autocomplete="off"></label>
<label>Verdict<select id="f-verdict"><option value="">any</option><option value="failed">failed</option><option value="passed">passed</option><option value="not-evaluated">not evaluated</option></select></label>
<label>Control<select id="f-control"><option value="">any control</option></select></label>
<label>Status<select id="f-status"><option value="">any status</option><option value="F">fail</option><option value="A">accepted</option><option value="N">not claimed</option><option value="C">claimed</option><option value="S">supplier</option><option value="V">verified</option><option value="-">not applicable</option></select></label>
<label>Threat applies<select id="f-threat"><option value="">any threat</option></select></label>
<label>Change<select id="f-change"><option value="">any</option><option value="changed">changed</option><option value="new">new</option><option value="verdict">verdict changed</option><option value="regressed">controls regressed</option></select></label>
<label>Sort<select id="f-sort"><option value="name">repository, system</option><option value="errors">open errors</option><option value="failing">failing controls</option></select></label>
<label>Rows<select id="f-size"><option>50</option><option selected>100</option><option>250</option><option>500</option></select></label>
<button type="button" id="f-reset">Clear filters</button>
</form>
<div class="pager"><button type="button" id="p-prev">◀ Previous</button><span id="p-info" aria-live="polite"></span><button type="button" id="p-next">Next ▶</button></div>
<div class="legend" id="legend"></div>
<div class="scroll"><table id="matrix"><thead></thead><tbody></tbody></table></div>
<div id="detail" hidden></div>
</section>
<section id="threats-section"><h2>Threats by system</h2><p class="muted">Exchange threats that apply, by number of systems. Choose one to see its systems in the matrix; select a system row to see its threats.</p><table id="threats"><thead><tr><th>Threat</th><th>Title</th><th>Systems</th><th></th></tr></thead><tbody></tbody></table></section>
<section id="rules-section"><h2>Rules that fail most often</h2><table id="rules"><thead><tr><th>Rule</th><th>Title</th><th>Control</th><th>Severity</th><th>Systems</th><th>Open findings</th></tr></thead><tbody></tbody></table></section>
<section id="acceptances-section"><h2>Risk acceptances by expiry</h2>
<form class="filters"><label>State<select id="a-state"><option value="">all</option><option value="expired">expired</option><option value="expiring">expiring within 30 days</option><option value="current">current</option></select></label></form>
<div class="pager"><button type="button" id="a-prev">◀ Previous</button><span id="a-info"></span><button type="button" id="a-next">Next ▶</button></div>
<table id="acceptances"><thead><tr><th>Expires</th><th>Days left</th><th>Repository</th><th>System</th><th>Acceptance</th><th>Accepts</th><th>Approver</th><th>Findings accepted</th></tr></thead><tbody></tbody></table></section>
<section id="change-section"><h2>Change since the previous posture</h2><div id="change"></div></section>
<section id="inputs-section"><h2>Inputs</h2><div id="inputs"></div></section>
</main>`;

// The page's script: plain JavaScript (no template literals), every value written as text.
const SCRIPT = String.raw`
(function () {
  "use strict";
  var P = JSON.parse(document.getElementById("posture-data").textContent);
  var STATUS = { F: "fail", A: "accepted", N: "not claimed", C: "claimed", S: "supplier", V: "verified", "-": "not applicable", " ": "not in this system's report" };
  var RANK = { F: 0, N: 1, C: 2, A: 3, S: 4, V: 5 };
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function safeLink(url) { return typeof url === "string" && /^https:\/\/[^\s"'<>]+$/.test(url) ? url : null; }
  function cell(tr, text, cls, tag) { var c = el(tag || "td", cls ? { "class": cls } : null, text); tr.appendChild(c); return c; }
  function fmt(n) { return Number(n).toLocaleString("en"); }

  // --- header and totals ---
  var t = P.totals;
  $("meta").textContent = fmt(t.systems) + " systems in " + fmt(t.repositories) + " repositories, from " + fmt(P.inputs.reports) + " reports; merged " + P.generatedAt + " by aigate " + P.tool.version + "; expiries counted from " + P.today + ".";
  function card(value, label, cls) { var c = el("div", { "class": "card" + (cls ? " " + cls : "") }); c.appendChild(el("b", null, fmt(value))); c.appendChild(el("span", null, label)); $("totals").appendChild(c); }
  card(t.systems, "systems");
  card(t.repositories, "repositories");
  card(t.passed, "passed", "good");
  card(t.failed, "failed", t.failed ? "bad" : "");
  card(t.notEvaluated, "not evaluated", t.notEvaluated ? "warn" : "");
  card(t.open.error, "open errors", t.open.error ? "bad" : "");
  card(t.open.warning, "open warnings", t.open.warning ? "warn" : "");
  card(t.accepted, "accepted findings");
  card(t.acceptances.expired, "acceptances expired", t.acceptances.expired ? "bad" : "");
  card(t.acceptances.expiring, "expiring within 30 days", t.acceptances.expiring ? "warn" : "");

  // --- filters ---
  var controlSel = $("f-control"), threatSel = $("f-threat");
  P.controls.forEach(function (c, i) { var o = el("option", { value: c.id }, c.id + " — " + c.title); controlSel.appendChild(o); });
  P.threats.forEach(function (th) { threatSel.appendChild(el("option", { value: th.id }, th.id + " — " + th.title + " (" + th.systems + ")")); });
  var controlIndex = {}; P.controls.forEach(function (c, i) { controlIndex[c.id] = i; });
  var threatIndex = {}; P.threats.forEach(function (th, i) { threatIndex[th.id] = i; });
  var state = { q: "", verdict: "", control: "", status: "", threat: "", change: "", sort: "name", size: 100, page: 1 };

  function defaults() { return { q: "", verdict: "", control: "", status: "", threat: "", change: "", sort: "name", size: 100, page: 1 }; }
  function readHash() {
    var h = location.hash.replace(/^#/, "");
    state = defaults();
    if (!h || h.indexOf("=") < 0) return;
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("="); if (i < 0) return;
      var k = decodeURIComponent(kv.slice(0, i)), v = decodeURIComponent(kv.slice(i + 1));
      if (k === "size" || k === "page") { var n = parseInt(v, 10); if (n > 0) state[k] = n; }
      else if (Object.prototype.hasOwnProperty.call(state, k)) state[k] = v;
    });
  }
  function writeHash() {
    var parts = [];
    ["q", "verdict", "control", "status", "threat", "change"].forEach(function (k) { if (state[k]) parts.push(k + "=" + encodeURIComponent(state[k])); });
    if (state.sort !== "name") parts.push("sort=" + state.sort);
    if (state.size !== 100) parts.push("size=" + state.size);
    if (state.page !== 1) parts.push("page=" + state.page);
    var h = parts.length ? "#" + parts.join("&") : " ";
    try { history.replaceState(null, "", h === " " ? location.pathname + location.search : h); } catch (e) { /* file: URLs in some browsers */ }
  }
  function syncInputs() {
    $("f-text").value = state.q; $("f-verdict").value = state.verdict; controlSel.value = state.control; $("f-status").value = state.status;
    threatSel.value = state.threat; $("f-change").value = state.change; $("f-sort").value = state.sort; $("f-size").value = String(state.size);
  }

  // --- matrix ---
  var legend = $("legend");
  ["F", "A", "N", "C", "S", "V", "-"].forEach(function (k) { var s = el("span"); s.appendChild(el("i", { "class": "s-" + k })); s.appendChild(document.createTextNode(STATUS[k])); legend.appendChild(s); });
  var thead = document.querySelector("#matrix thead"), tbody = document.querySelector("#matrix tbody");
  var hr = el("tr");
  cell(hr, "Repository", "sticky repo", "th"); cell(hr, "System", "sticky2", "th"); cell(hr, "Verdict", null, "th"); cell(hr, "Errors", null, "th"); cell(hr, "Warnings", null, "th");
  P.controls.forEach(function (c) { var th = cell(hr, c.id, "ctl", "th"); th.setAttribute("title", c.id + ": " + c.title); });
  thead.appendChild(hr);
  var failing = P.systems.map(function (s) { var n = 0; for (var i = 0; i < s.controls.length; i++) if (s.controls[i] === "F") n++; return n; });
  P.systems.forEach(function (s, i) { s._i = i; s._text = (s.repository + " " + s.name + " " + s.manifest).toLowerCase(); });

  function matches(s) {
    if (state.q && s._text.indexOf(state.q.toLowerCase()) < 0) return false;
    if (state.verdict && s.verdict !== state.verdict) return false;
    var ci = state.control ? controlIndex[state.control] : undefined;
    if (ci !== undefined) {
      var code = s.controls.charAt(ci);
      if (state.status ? code !== state.status : (code === " " || code === "-")) return false;
    } else if (state.status && s.controls.indexOf(state.status) < 0) return false;
    if (state.threat) { var ti = threatIndex[state.threat]; if (ti === undefined || s.threats.indexOf(ti) < 0) return false; }
    if (state.change) {
      var ch = s.change;
      if (!ch) return false;
      if (state.change === "new" && ch.kind !== "new") return false;
      if (state.change === "verdict" && ch.kind !== "verdict") return false;
      if (state.change === "regressed" && !(ch.kind === "controls" && ch.regressed > 0)) return false;
    }
    return true;
  }
  function sorted(list) {
    if (state.sort === "errors") return list.slice().sort(function (a, b) { return b.open.error - a.open.error || a._i - b._i; });
    if (state.sort === "failing") return list.slice().sort(function (a, b) { return failing[b._i] - failing[a._i] || a._i - b._i; });
    return list;
  }
  var shown = [];
  function renderMatrix() {
    var list = sorted(P.systems.filter(matches));
    var pages = Math.max(1, Math.ceil(list.length / state.size));
    if (state.page > pages) state.page = pages;
    var start = (state.page - 1) * state.size;
    shown = list.slice(start, start + state.size);
    var frag = document.createDocumentFragment();
    shown.forEach(function (s) {
      var tr = el("tr", { "data-key": s.key });
      var r = cell(tr, s.repository, "sticky repo"); r.setAttribute("title", s.repository);
      var n = cell(tr, s.name, "sticky2"); n.setAttribute("title", s.manifest);
      if (s.change) {
        var b = s.change.kind === "new" ? el("span", { "class": "badge new" }, "new") : s.change.kind === "verdict" ? el("span", { "class": "badge " + (s.verdict === "passed" ? "better" : "worse") }, "was " + s.change.from) : (s.change.regressed ? el("span", { "class": "badge worse" }, "−" + s.change.regressed) : el("span", { "class": "badge better" }, "+" + s.change.improved));
        n.appendChild(b);
      }
      cell(tr, s.verdict === "not-evaluated" ? "not evaluated" : s.verdict, "verdict v-" + s.verdict);
      cell(tr, s.open.error); cell(tr, s.open.warning);
      for (var i = 0; i < P.controls.length; i++) {
        var code = s.controls.charAt(i) || " ";
        var td = el("td", { "class": "c s-" + (code === " " ? "_" : code), title: P.controls[i].id + ": " + STATUS[code] }, code === " " || code === "-" ? "" : code);
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
    $("p-info").textContent = list.length ? "Systems " + fmt(start + 1) + "–" + fmt(start + shown.length) + " of " + fmt(list.length) + " matching (" + fmt(P.systems.length) + " in all); page " + state.page + " of " + pages : "No system matches (" + fmt(P.systems.length) + " in all)";
    $("p-prev").disabled = state.page <= 1; $("p-next").disabled = state.page >= pages;
    writeHash();
  }
  function showDetail(s) {
    var d = $("detail"); d.textContent = ""; d.hidden = false;
    d.appendChild(el("h3", null, s.repository + " — " + s.name));
    d.appendChild(el("p", { "class": "muted" }, s.manifest + " · " + s.policy + (s.commit ? " · " + s.commit : "") + " · report of " + s.generatedAt));
    d.appendChild(el("p", null, "Verdict: " + s.verdict + "; open: " + s.open.error + " errors, " + s.open.warning + " warnings, " + s.open.note + " notes; " + s.accepted + " accepted"));
    var fails = []; for (var i = 0; i < P.controls.length; i++) if (s.controls.charAt(i) === "F") fails.push(P.controls[i].id);
    d.appendChild(el("p", null, "Failing controls (" + fails.length + "): " + (fails.join(", ") || "none")));
    d.appendChild(el("p", null, "Threats that apply (" + s.threats.length + "):"));
    var ul = el("ul", { "class": "compact" });
    s.threats.forEach(function (ti) { var th = P.threats[ti]; if (th) ul.appendChild(el("li", null, th.id + " — " + th.title)); });
    d.appendChild(ul);
  }
  tbody.addEventListener("click", function (ev) {
    var tr = ev.target && ev.target.closest ? ev.target.closest("tr") : null;
    if (!tr) return;
    var key = tr.getAttribute("data-key");
    for (var i = 0; i < shown.length; i++) if (shown[i].key === key) { showDetail(shown[i]); break; }
  });
  function onFilter() {
    state.q = $("f-text").value.trim(); state.verdict = $("f-verdict").value; state.control = controlSel.value; state.status = $("f-status").value;
    state.threat = threatSel.value; state.change = $("f-change").value; state.sort = $("f-sort").value; state.size = parseInt($("f-size").value, 10) || 100; state.page = 1;
    renderMatrix();
  }
  ["f-verdict", "f-control", "f-status", "f-threat", "f-change", "f-sort", "f-size"].forEach(function (id) { $(id).addEventListener("change", onFilter); });
  // At 10,000 systems a keystroke costs a filter pass: wait for a pause in typing (Enter applies at once).
  var typing = null;
  $("f-text").addEventListener("input", function () { if (typing) clearTimeout(typing); typing = setTimeout(function () { typing = null; onFilter(); }, 150); });
  $("filters").addEventListener("submit", function (ev) { ev.preventDefault(); if (typing) { clearTimeout(typing); typing = null; } onFilter(); });
  $("f-reset").addEventListener("click", function () { state = defaults(); syncInputs(); renderMatrix(); });
  $("p-prev").addEventListener("click", function () { if (state.page > 1) { state.page--; renderMatrix(); } });
  $("p-next").addEventListener("click", function () { state.page++; renderMatrix(); });
  window.addEventListener("hashchange", function () { readHash(); syncInputs(); renderMatrix(); });

  // --- threats ---
  var maxT = Math.max(1, Math.max.apply(null, P.threats.map(function (x) { return x.systems; }).concat([0])));
  P.threats.slice().sort(function (a, b) { return b.systems - a.systems || (a.id < b.id ? -1 : 1); }).forEach(function (th) {
    var tr = el("tr");
    var id = cell(tr, ""); var link = safeLink(th.link);
    if (link) id.appendChild(el("a", { href: link, rel: "noreferrer noopener", target: "_blank" }, th.id)); else id.textContent = th.id;
    cell(tr, th.title);
    var c = cell(tr, fmt(th.systems) + " "); var bar = el("span", { "class": "bar" }); bar.style.width = Math.round(120 * th.systems / maxT) + "px"; c.appendChild(bar);
    var bc = cell(tr, ""); var btn = el("button", { type: "button" }, "Show systems"); bc.appendChild(btn);
    btn.addEventListener("click", function () { state.threat = th.id; state.page = 1; syncInputs(); renderMatrix(); document.getElementById("matrix-section").scrollIntoView(); });
    document.querySelector("#threats tbody").appendChild(tr);
  });

  // --- rules ---
  P.rules.slice(0, 50).forEach(function (r) {
    var tr = el("tr"); cell(tr, r.id); cell(tr, r.title); cell(tr, r.control || ""); cell(tr, r.severity); cell(tr, fmt(r.systems)); cell(tr, fmt(r.findings));
    document.querySelector("#rules tbody").appendChild(tr);
  });
  if (!P.rules.length) { var tr0 = el("tr"); cell(tr0, "No open finding in any system.").setAttribute("colspan", "6"); document.querySelector("#rules tbody").appendChild(tr0); }

  // --- acceptances ---
  var aPage = 1, A_SIZE = 100;
  function renderAcceptances() {
    var st = $("a-state").value;
    var list = P.acceptances.filter(function (a) { return !st || a.state === st; });
    var pages = Math.max(1, Math.ceil(list.length / A_SIZE)); if (aPage > pages) aPage = pages;
    var body = document.querySelector("#acceptances tbody"); body.textContent = "";
    list.slice((aPage - 1) * A_SIZE, aPage * A_SIZE).forEach(function (a) {
      var tr = el("tr");
      cell(tr, a.expires, a.state === "expired" ? "expired" : a.state === "expiring" ? "expiring" : null);
      cell(tr, a.daysLeft < 0 ? "expired " + (-a.daysLeft) + " days ago" : a.daysLeft + " days");
      cell(tr, a.repository); cell(tr, a.system); cell(tr, (a.id || "(no id)") + (a.pending ? " (pending)" : "")); cell(tr, a.target); cell(tr, a.approver); cell(tr, fmt(a.accepted));
      body.appendChild(tr);
    });
    $("a-info").textContent = list.length ? fmt(list.length) + " acceptances; page " + aPage + " of " + pages : "No risk acceptance.";
    $("a-prev").disabled = aPage <= 1; $("a-next").disabled = aPage >= pages;
  }
  $("a-state").addEventListener("change", function () { aPage = 1; renderAcceptances(); });
  $("a-prev").addEventListener("click", function () { aPage--; renderAcceptances(); });
  $("a-next").addEventListener("click", function () { aPage++; renderAcceptances(); });

  // --- change ---
  var ch = P.change, cd = $("change");
  if (!ch) cd.appendChild(el("p", { "class": "muted" }, "No previous posture was given (aigate merge --previous posture.json)."));
  else {
    function signed(n) { return (n > 0 ? "+" : "") + fmt(n); }
    cd.appendChild(el("p", null, "Against the posture of " + ch.previous.generatedAt + " (" + fmt(ch.previous.systems) + " systems): systems " + signed(ch.totals.systems) + ", passed " + signed(ch.totals.passed) + ", failed " + signed(ch.totals.failed) + ", open errors " + signed(ch.totals.error) + ", warnings " + signed(ch.totals.warning) + "; control statuses improved " + fmt(ch.controls.improved) + ", regressed " + fmt(ch.controls.regressed) + "."));
    function list(title, items, fn) {
      cd.appendChild(el("h3", null, title + " (" + fmt(items.length) + ")"));
      var ul = el("ul", { "class": "compact" });
      items.slice(0, 200).forEach(function (x) { ul.appendChild(el("li", null, fn(x))); });
      if (items.length > 200) ul.appendChild(el("li", { "class": "muted" }, "and " + fmt(items.length - 200) + " more (posture.json has them all)"));
      cd.appendChild(ul);
    }
    list("Verdicts changed", ch.verdicts, function (v) { return v.key + ": " + v.from + " → " + v.to; });
    list("New systems", ch.added, function (k) { return k; });
    list("Systems no longer reported", ch.removed, function (k) { return k; });
  }

  // --- inputs ---
  var inp = $("inputs");
  inp.appendChild(el("p", null, fmt(P.inputs.files) + " files read: " + fmt(P.inputs.reports) + " reports merged, " + fmt(P.inputs.invalid.length) + " left out, " + fmt(P.inputs.duplicates) + " duplicate systems (the newest report of each was kept)."));
  if (P.inputs.invalid.length) {
    var ul2 = el("ul", { "class": "compact" });
    P.inputs.invalid.slice(0, 200).forEach(function (x) { ul2.appendChild(el("li", null, x.file + ": " + x.problem)); });
    inp.appendChild(ul2);
  }

  readHash(); syncInputs(); renderMatrix(); renderAcceptances();
  document.body.setAttribute("data-ready", "true");
})();
`;
