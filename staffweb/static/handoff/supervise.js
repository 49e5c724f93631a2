// The supervisor page (staffweb/supervise.py): polls who is on shift, the consultants' load,
// the unclaimed urgent cases and the cases in progress; moves a case with the CSRF token.
"use strict";

(function () {
  const root = document.getElementById("supervise");
  if (!root) return;
  const csrfMeta = document.querySelector("meta[name=csrf]");
  const csrf = csrfMeta ? csrfMeta.content : "";
  const textsNode = document.getElementById("staff-texts");
  const texts = textsNode ? JSON.parse(textsNode.textContent) : {};
  function t(name, args) {
    let text = texts[name] || name;
    for (const [key, value] of Object.entries(args || {})) text = text.split(`{${key}}`).join(String(value));
    return text;
  }
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function waited(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    const m = Math.floor(seconds / 60), s = seconds % 60;
    return m ? t("waited", { minutes: m, seconds: s }) : t("waited_s", { seconds: s });
  }
  function caseLink(number) {
    const a = el("a", "", number);
    a.href = "/staff/handoff/case/" + encodeURIComponent(number);
    return a;
  }
  // A row of labelled cells: on a phone each row is a card, each cell says what it is.
  function row(table, cells, cls) {
    const labels = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
    const tr = el("tr", cls || "");
    cells.forEach((cell, i) => {
      const td = el("td");
      if (labels[i]) td.dataset.label = labels[i];
      if (typeof cell === "string") td.textContent = cell; else td.append(cell);
      tr.append(td);
    });
    return tr;
  }
  function empty(table, text) {
    const tr = el("tr"); const td = el("td", "muted", text);
    td.colSpan = table.querySelectorAll("thead th").length; tr.append(td);
    return tr;
  }

  const error = document.getElementById("sv-error");
  function showError(message) { error.hidden = !message; error.textContent = message || ""; }
  const urgentList = document.getElementById("sv-urgent");
  const others = document.getElementById("sv-others");
  const loadTable = document.getElementById("sv-load");
  const liveTable = document.getElementById("sv-live");
  // What the coordinator picked in a row's list survives the next poll.
  const picked = {};

  function mover(c, targets) {
    const box = el("span", "sv-move");
    const select = el("select");
    select.setAttribute("aria-label", t("move") + " " + c.number);
    select.dataset.number = c.number;
    select.append(new Option(t("choose"), ""));
    for (const p of targets) if (p.id !== c.holder_id) select.append(new Option(p.name, String(p.id)));
    select.append(new Option(t("to_queue"), "queue"));
    select.value = picked[c.number] || "";
    select.addEventListener("change", () => { picked[c.number] = select.value; });
    const button = el("button", "secondary", t("move"));
    button.type = "button";
    button.addEventListener("click", async () => {
      if (!select.value) return;
      const to = select.value === "queue" ? null : Number(select.value);
      try {
        const resp = await fetch(`/staff/handoff/api/case/${encodeURIComponent(c.number)}/reassign`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ to }),
        });
        let data = {};
        try { data = await resp.json(); } catch (e) { data = {}; }
        if (!resp.ok || !data.ok) throw new Error(data.error || t("error", { status: resp.status }));
        delete picked[c.number];
        showError("");
        document.getElementById("sv-done").textContent = t("moved", { number: c.number });
      } catch (e) { showError(e.message); }
      refresh(true);
    });
    box.append(select, button);
    return box;
  }

  function draw(data) {
    urgentList.replaceChildren();
    if (!data.urgent.length) urgentList.append(el("li", "muted", t("none_urgent")));
    for (const c of data.urgent) {
      const li = el("li", "urgent");
      li.dataset.number = c.number;
      li.append(caseLink(c.number), el("span", "", " · " + waited(c.waited) + " · " + c.danger));
      if (c.escalations) li.append(el("span", "sv-esc", " · ⚠ " + t("escalations", { count: c.escalations })));
      urgentList.append(li);
    }
    others.textContent = data.others_queued ? t("others", { count: data.others_queued }) : "";

    const loadBody = loadTable.querySelector("tbody");
    loadBody.replaceChildren();
    if (!data.consultants.length) loadBody.append(empty(loadTable, t("nobody")));
    for (const p of data.consultants) {
      const tr = row(loadTable, [
        p.name,
        p.on_shift ? t("seen", { minutes: p.seen_minutes }) : t("off_shift"),
        String(p.claimed),
        String(p.active),
        waited(p.oldest),
      ], p.on_shift ? "" : "off");
      tr.dataset.name = p.name;
      loadBody.append(tr);
    }

    const liveBody = liveTable.querySelector("tbody");
    liveBody.replaceChildren();
    if (!data.live.length) liveBody.append(empty(liveTable, t("no_live")));
    for (const c of data.live) {
      const tr = row(liveTable, [
        caseLink(c.number), c.holder, c.state_label, waited(c.waited), mover(c, data.targets),
      ], c.urgent ? "sv-urgent" : "");
      tr.dataset.number = c.number;
      liveBody.append(tr);
    }
  }

  async function refresh(force) {
    // Not while a list is open or focused: the coordinator is choosing.
    const active = document.activeElement;
    if (!force && active && active.tagName === "SELECT" && liveTable.contains(active)) return;
    try {
      const resp = await fetch(root.dataset.api, { credentials: "same-origin" });
      if (resp.status === 401) { location.href = "/staff/login?next=/staff/handoff/supervise"; return; }
      if (!resp.ok) { showError(t("error", { status: resp.status })); return; }
      draw(await resp.json());
    } catch (e) { /* keep the last view; try again */ }
  }
  refresh(true);
  setInterval(refresh, 3000);
})();
