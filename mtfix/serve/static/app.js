// mtfix's page: send the article to /api/fix, show the repair, let the reader reject edits.
// Everything the text touches is set with textContent: the article is never parsed as HTML.
"use strict";
const $ = (id) => document.getElementById(id);
let report = null;

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

// A removed span widened over the whitespace that joined it to what follows (or precedes).
function removalSpan(text, r) {
  let end = r.end;
  while (end < text.length && /\s/.test(text[end])) end++;
  if (end < text.length) return [r.start, end];
  let start = r.start;
  while (start > 0 && /\s/.test(text[start - 1])) start--;
  return [start, text.length];
}

// The kept edits: ticked suggestions, and the ticked applied edits of the other sentences
// (a suggestion's text holds its sentence's applied steps too).
function keptEdits() {
  const suggested = report.suggestions.filter((e) => e.keep);
  const spans = new Set(suggested.map((e) => `${e.start}:${e.end}`));
  const applied = report.edits.filter((e) => e.accepted && e.keep && !spans.has(`${e.start}:${e.end}`));
  return [...suggested, ...applied];
}

// The input with the kept removals cut and the kept edits applied (as mtfix composes it).
function compose() {
  const text = report.input;
  const cuts = report.removed.filter((r) => r.keep).map((r) => removalSpan(text, r));
  const changes = cuts.map(([s, e]) => ({ s, e, t: "", cut: true }));
  for (const edit of keptEdits()) {
    if (!cuts.some(([s, e]) => s < edit.end && edit.start < e))
      changes.push({ s: edit.start, e: edit.end, t: edit.after, cut: false });
  }
  changes.sort((a, b) => a.s - b.s || a.e - b.e);
  let out = "", cursor = 0;
  for (const c of changes) {
    if (c.s < cursor) { if (c.cut) cursor = Math.max(cursor, c.e); continue; }
    out += text.slice(cursor, c.s) + c.t;
    cursor = c.e;
  }
  return out + text.slice(cursor);
}

// Word-level diff of two short texts (longest common subsequence of tokens).
function wordDiff(a, b) {
  const split = (s) => s.match(/\s+|\w+|[^\w\s]/gu) || [];
  const x = split(a), y = split(b);
  const n = x.length, m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  const push = (op, t) => {
    if (out.length && out[out.length - 1][0] === op) out[out.length - 1][1] += t;
    else out.push([op, t]);
  };
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { push("=", x[i]); i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { push("-", x[i]); i++; }
    else { push("+", y[j]); j++; }
  }
  return out;
}

// The diff of the whole article, built span by span from the kept changes.
function renderDiff() {
  const box = $("diff");
  box.replaceChildren();
  const text = report.input;
  const cuts = report.removed.filter((r) => r.keep).map((r) => [...removalSpan(text, r), null]);
  const edits = keptEdits()
    .filter((e) => !cuts.some(([s, t]) => s < e.end && e.start < t))
    .map((e) => [e.start, e.end, e]);
  let cursor = 0;
  for (const [s, e, edit] of [...cuts, ...edits].sort((p, q) => p[0] - q[0])) {
    if (s < cursor) continue;
    box.append(text.slice(cursor, s));
    if (edit === null) box.append(el("del", text.slice(s, e)));
    else for (const [op, t] of wordDiff(edit.before, edit.after))
      box.append(op === "=" ? t : el(op === "+" ? "ins" : "del", t));
    cursor = e;
  }
  box.append(text.slice(cursor));
}

function refresh() {
  $("result").value = compose();
  renderDiff();
}

// The changed words of an edit with a few words of context around them.
function diffNode(before, after) {
  const span = el("span", undefined, "change");
  const parts = wordDiff(before, after);
  parts.forEach(([op, t], k) => {
    if (op !== "=") return span.append(el(op === "+" ? "ins" : "del", t));
    const words = t.split(/(\s+)/);
    const keep = 8;  // words and spaces kept at each side of a change
    if (words.length <= 2 * keep) return span.append(t);
    const head = k > 0 ? words.slice(0, keep).join("") : "";
    const tail = k < parts.length - 1 ? words.slice(-keep).join("") : "";
    span.append(head + (head || tail ? " … " : "") + tail);
  });
  return span;
}

function toggle(item, label, description, extra, checked = true) {
  const li = el("li");
  const box = el("input");
  box.type = "checkbox";
  box.checked = checked;
  box.addEventListener("change", () => { item.keep = box.checked; refresh(); });
  const lab = el("label");
  lab.append(box, " ", description);  // a string or a node
  li.append(lab, el("span", extra, "reason"));
  li.dataset.label = label;
  return li;
}

// What the search's steps were: each source with its gain, then the choice.
function stepsText(e) {
  const steps = (e.steps || []).map((s) => s.gain === null ? s.source : `${s.source} ${s.gain >= 0 ? "+" : ""}${s.gain.toFixed(1)} nats`);
  return steps.length ? `${steps.join(", ")}: ${e.choice || e.reason}` : `${e.source} (${e.kind}): ${e.choice || e.reason}`;
}

function show(data) {
  report = data;
  report.suggestions = report.suggestions || [];
  report.removed.forEach((r) => (r.keep = true));
  report.edits.forEach((e) => (e.keep = true));
  report.suggestions.forEach((e) => (e.keep = false));
  const edits = $("edits"), findings = $("findings"), unused = $("unused");
  const suggestions = $("suggestions");
  edits.replaceChildren(); findings.replaceChildren(); unused.replaceChildren();
  suggestions.replaceChildren();
  for (const e of report.suggestions)
    suggestions.append(toggle(e, "suggestion", diffNode(e.base, e.after), stepsText(e), false));
  for (const r of report.removed)
    edits.append(toggle(r, "removal", `Remove: ${r.text.slice(0, 80)}`, r.reason));
  for (const e of report.edits) {
    const why = stepsText(e);
    if (e.accepted) edits.append(toggle(e, "edit", diffNode(e.before, e.after), why));
    else {
      const li = el("li");
      li.append(diffNode(e.before, e.after), el("span", why, "reason"));
      unused.append(li);
    }
  }
  for (const f of report.findings) {
    const li = el("li");
    li.append(el("span", `${f.category}: ${f.message}`), el("span", `«${f.text}»`, "source"));
    findings.append(li);
  }
  showStyle(report.style);
  $("output-pane").hidden = false;
  $("review").hidden = false;
  refresh();
}

// The article pass's style sheet: names written more than one way, the date style, terms.
function showStyle(style) {
  const list = $("style");
  list.replaceChildren();
  if (!style) return;
  for (const c of style.names) {
    if (Object.keys(c.forms).length < 2) continue;
    const forms = Object.entries(c.forms).map(([f, n]) => `${f} ×${n}`).join(", ");
    const li = el("li");
    li.append(el("span", `${c.role} «${c.canonical}»`), el("span", forms, "source"));
    list.append(li);
  }
  if (style.dates.style)
    list.append(el("li", `dates: ${style.dates.style} (from the ${style.dates.source})`));
  for (const t of style.terms)
    list.append(el("li", `term written two ways: ${Object.keys(t.forms).join(" / ")}`));
}

async function repair() {
  const status = $("status");
  status.className = "";
  status.textContent = "Repairing…";
  $("repair").disabled = true;
  try {
    const response = await fetch("/api/fix", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: $("source").value }),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
    show(data);
    status.textContent = `${data.edits.filter((e) => e.accepted).length} edit(s), ` +
      `${(data.suggestions || []).length} suggestion(s), ` +
      `${data.removed.length} removal(s), ${data.findings.length} finding(s)`;
  } catch (err) {
    status.className = "error";
    status.textContent = `Could not repair: ${err.message}`;
  } finally {
    $("repair").disabled = false;
  }
}

function download() {
  const url = URL.createObjectURL(new Blob([$("result").value], { type: "text/plain" }));
  const a = el("a");
  a.href = url;
  a.download = "repaired.txt";
  a.click();
  URL.revokeObjectURL(url);
}

const source = $("source");
source.addEventListener("dragover", (e) => { e.preventDefault(); source.classList.add("dragging"); });
source.addEventListener("dragleave", () => source.classList.remove("dragging"));
source.addEventListener("drop", async (e) => {
  e.preventDefault();
  source.classList.remove("dragging");
  const file = e.dataTransfer.files[0];
  if (file) source.value = await file.text();
});
$("repair").addEventListener("click", repair);
$("copy").addEventListener("click", () => navigator.clipboard.writeText($("result").value));
$("download").addEventListener("click", download);
