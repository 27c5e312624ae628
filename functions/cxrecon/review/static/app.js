"use strict";
// The review console. Every action goes to the API, which checks it again: nothing here is trusted.
const $ = (id) => document.getElementById(id);
const state = { item: null, picked: [], typed: [], timer: null };
const CHANNEL = { call: "Call", voicemail: "Voicemail", chat: "Chat", email: "Email", sms: "SMS" };

function token() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("id_token")) { sessionStorage.setItem("id_token", hash.get("id_token")); history.replaceState(null, "", location.pathname); }
  return sessionStorage.getItem("id_token");
}
async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  const t = token(); if (t) headers.Authorization = "Bearer " + t;
  const res = await fetch(path.replace(/^\//, ""), { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || ("Request failed (" + res.status + ")"));
  return data;
}
function say(text, ok) { const m = $("message"); m.textContent = text; m.className = ok ? "ok" : "bad"; }
function age(seconds) {
  if (seconds == null) return "—";
  const h = seconds / 3600; return h >= 48 ? Math.round(h / 24) + " days" : h >= 1 ? Math.round(h) + " h" : Math.max(1, Math.round(seconds / 60)) + " min";
}
async function stats() {
  try {
    const s = await api("GET", "/api/queue");
    $("stats").textContent = `${s.open} waiting · ${s.claimed} in progress · oldest ${age(s.oldest_age_seconds)}`;
    $("who").textContent = s.reviewer;
  } catch (e) { $("stats").textContent = e.message; }
}
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
function render(item) {
  state.item = item; state.picked = []; state.typed = [];
  $("empty").hidden = !!item; $("item").hidden = !item;
  if (!item) return;
  const m = item.message, ix = m.interaction;
  $("reason").textContent = m.reason_text;
  const facts = $("facts"); facts.replaceChildren();
  const when = new Date(ix.started_at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  for (const [k, v] of [["Channel", CHANNEL[ix.channel] || ix.channel], ["Time", when], ["Agent", ix.agent_name || ix.agent_id || "—"],
      ["Skill", ix.skill || "—"], ["Phone", ix.customer_phone || "—"], ["Email", ix.customer_email || "—"],
      ["Name given", ix.customer_name || "—"], ["Interaction", ix.interaction_id]]) {
    facts.append(el("dt", null, k), el("dd", null, v));
  }
  const notes = [ix.subject, ix.disposition ? "Disposition: " + ix.disposition : null, ix.notes].filter(Boolean).join("\n");
  $("notes").textContent = notes || "No notes."; 
  const list = $("candidates"); list.replaceChildren();
  m.candidates.forEach((c, i) => {
    const li = el("li"); li.dataset.index = i;
    const ev = c.evidence.map((e) => `${e.signal}: ${e.how}`).join(" · ") || "no direct evidence";
    const main = el("div");
    main.append(el("span", "type", c.record_type + " "), el("strong", null, c.name || c.record_id));
    if (c.account_name && c.account_name !== c.name) main.append(el("span", null, " — " + c.account_name));
    main.append(el("div", "ev", ev));
    li.append(el("span", "n", String(i + 1)), main, el("span", "score", Math.round(c.score * 100) + "%"));
    li.onclick = () => toggle(i);
    list.append(li);
  });
  if (!m.candidates.length) list.append(el("li", "ev", "No candidates: type a record id or case number, or relate to an organisation."));
  chosen();
}
function toggle(i) {
  const id = state.item.message.candidates[i]?.record_id; if (!id) return;
  state.picked = state.picked.includes(id) ? state.picked.filter((x) => x !== id) : [...state.picked, id];
  document.querySelectorAll("#candidates li").forEach((li) => li.classList.toggle("on", state.picked.includes(state.item.message.candidates[li.dataset.index]?.record_id)));
  chosen();
}
function chosen() {
  const all = [...state.picked, ...state.typed.map((r) => r.id)];
  $("chosen").textContent = all.length ? "Chosen: " + [...state.picked.map((id) => state.item.message.candidates.find((c) => c.record_id === id).name), ...state.typed.map((r) => `${r.type} ${r.name}`)].join(", ") : "Nothing chosen yet.";
}
async function next() {
  say("", true);
  try { const r = await api("POST", "/api/items/next"); render(r.item); } catch (e) { say(e.message); }
  stats();
}
async function act(path, body) {
  if (!state.item) return;
  try {
    const r = await api("POST", `/api/items/${encodeURIComponent(state.item.item_id)}/${path}`, body);
    say(r.message, true); await next(); say(r.message, true);
  } catch (e) { say(e.message); }
}
const records = () => [...state.picked, ...state.typed.map((r) => r.id)];
async function lookup() {
  const q = $("search").value.trim(); if (!q) return;
  try {
    const r = await api("GET", "/api/records/" + encodeURIComponent(q));
    state.typed.push(r); $("search").value = ""; $("lookup").textContent = `✓ ${r.type} ${r.name}`; chosen();
  } catch (e) { $("lookup").textContent = e.message; }
}
$("add").onclick = lookup;
$("search").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); lookup(); } if (e.key === "Escape") e.target.blur(); });
$("apply").onclick = () => act("apply", { action: "relate", records: records() });
$("org").onclick = () => act("apply", { action: "org", records: records() });
$("none").onclick = () => act("dismiss", { reason: $("noreason").value });
$("skip").onclick = () => act("release");
$("reload").onclick = next;
$("rl-find").onclick = async () => {
  try {
    const r = await api("GET", "/api/interactions/" + encodeURIComponent($("rl-id").value.trim()));
    const t = r.task; $("rl-info").textContent = t ? `Task ${t.id}: related to ${t.what_id || "nothing"}; name ${t.who_ids.join(", ") || "none"}` : "No Task yet.";
  } catch (e) { $("rl-info").textContent = e.message; }
};
$("rl-go").onclick = async () => {
  try {
    const r = await api("POST", `/api/interactions/${encodeURIComponent($("rl-id").value.trim())}/relink`, { records: $("rl-records").value.split(/[\s,]+/).filter(Boolean) });
    say(r.message, true);
  } catch (e) { say(e.message); }
};
document.addEventListener("keydown", (e) => {
  if (e.target.matches("input, select, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
  if (/^[1-9]$/.test(e.key)) toggle(Number(e.key) - 1);
  else if (e.key === "Enter") $("apply").click();
  else if (e.key === "o") $("org").click();
  else if (e.key === "n") $("none").click();
  else if (e.key === "s") $("skip").click();
  else if (e.key === "/") { e.preventDefault(); $("search").focus(); }
  else return;
  e.preventDefault();
});
// The claim holds while the item is on screen.
setInterval(() => { if (state.item) api("POST", `/api/items/${encodeURIComponent(state.item.item_id)}/extend`).catch((e) => say(e.message)); }, 120000);
next();
