// The consultants' console: polls the queue or a case, and posts actions with the CSRF token.
"use strict";

(function () {
  const csrfMeta = document.querySelector("meta[name=csrf]");
  const csrf = csrfMeta ? csrfMeta.content : "";
  // The words, in the staff member's language, come with the page (staffweb/console.py JS_TEXTS).
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
    const m = Math.floor(seconds / 60), s = seconds % 60;
    return m ? t("waited", { minutes: m, seconds: s }) : t("waited_s", { seconds: s });
  }

  async function post(url, body) {
    const resp = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try { data = await resp.json(); } catch (e) { data = { error: t("error", { status: resp.status }) }; }
    if (!resp.ok || !data.ok) throw new Error(data.error || t("error", { status: resp.status }));
    return data;
  }

  // -- the queue ------------------------------------------------------------------------
  const queue = document.getElementById("queue");
  if (queue) {
    const body = queue.querySelector("tbody");
    const alerts = document.getElementById("alerts");
    async function refresh() {
      try {
        const resp = await fetch(queue.dataset.queue, { credentials: "same-origin" });
        if (resp.status === 401) { location.href = "/staff/login?next=/staff/handoff"; return; }
        const data = await resp.json();
        body.replaceChildren();
        if (!data.cases.length) {
          const tr = el("tr"); const td = el("td", "muted", t("empty"));
          td.colSpan = 8; tr.append(td); body.append(tr);
        }
        for (const c of data.cases) {
          const tr = el("tr", (c.urgent ? "urgent " : "") + (c.escalated ? "escalated" : ""));
          tr.dataset.number = c.number;
          const link = el("a", "", c.number);
          link.href = "/staff/handoff/case/" + encodeURIComponent(c.number);
          const cells = [
            c.place ? String(c.place) : "",
            link,
            c.state_label + (c.callback ? " " + t("callback", { when: c.callback }) : "") + (c.quiet ? " 🤫" : ""),
            waited(Math.max(0, c.waited)) + (c.escalated ? " ⚠" : ""),
            (c.urgent ? t("urgent") + " " : "") + c.danger,
            c.lang,
            c.role,
            c.claimed_by + (c.failed ? ` ⚠ ${c.failed}` : ""),
          ];
          for (const cell of cells) {
            const td = el("td");
            if (typeof cell === "string") td.textContent = cell; else td.append(cell);
            tr.append(td);
          }
          body.append(tr);
        }
        alerts.hidden = !data.alerts;
        alerts.textContent = data.alerts ? t("alerts", { count: data.alerts }) : "";
      } catch (e) { /* keep the last view; try again */ }
    }
    refresh();
    setInterval(refresh, 2000);
  }

  // -- one case -------------------------------------------------------------------------
  const box = document.getElementById("case");
  if (box) {
    const api = box.dataset.api;
    // A coordinator's reason for opening a closed case goes with every read (it is audited).
    const reason = box.dataset.reason ? "&reason=" + encodeURIComponent(box.dataset.reason) : "";
    const log = document.getElementById("log");
    const error = document.getElementById("error");
    const replyForm = document.getElementById("reply");
    const replyText = document.getElementById("reply-text");
    const claimBox = document.getElementById("claim-box");
    let last = 0;

    function showError(message) {
      error.hidden = !message;
      error.textContent = message || "";
    }

    function render(line) {
      let li = document.getElementById("line-" + line.id);
      if (!li) {
        li = el("li");
        li.id = "line-" + line.id;
        log.append(li);
      }
      li.className = [line.dir, line.urgent ? "urgent" : "", line.delivery === "failed" ? "failed" : ""].join(" ");
      li.replaceChildren(el("span", "at", line.at));
      const who = line.dir === "in" ? "👤 " : line.dir === "out" ? `💬 ${line.author}: ` : "";
      li.append(document.createTextNode(who + line.text));
      if (line.delivery === "failed") li.append(el("span", "undelivered", " ⚠ " + t("undelivered")));
    }

    async function refresh() {
      try {
        const resp = await fetch(api + "?after=" + last + reason, { credentials: "same-origin" });
        if (!resp.ok) return;
        const data = await resp.json();
        for (const line of data.lines) { render(line); last = Math.max(last, line.id); }
        document.getElementById("state").textContent = data.state_label;
        document.getElementById("claimed").textContent = data.claimed_by;
        document.getElementById("quiet").hidden = !data.quiet;
        claimBox.hidden = data.state !== "queued";
        replyForm.hidden = !(data.mine && (data.state === "claimed" || data.state === "active"));
      } catch (e) { /* try again */ }
    }

    document.getElementById("claim").addEventListener("click", async () => {
      try { await post(api + "/claim"); showError(""); } catch (e) { showError(e.message); }
      refresh();
    });

    replyForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = replyText.value.trim();
      if (!text) return;
      try { await post(api + "/reply", { text }); replyText.value = ""; showError(""); }
      catch (e) { showError(e.message); }
      refresh();
    });

    for (const button of document.querySelectorAll(".canned-btn")) {
      button.addEventListener("click", () => { replyText.value = button.dataset.text; replyText.focus(); });
    }

    document.getElementById("note").addEventListener("submit", async (event) => {
      event.preventDefault();
      const field = document.getElementById("note-text");
      const text = field.value.trim();
      if (!text) return;
      try {
        await post(api + "/note", { text });
        const li = el("li"); li.append(el("span", "muted", t("you") + " "), document.createTextNode(text));
        document.getElementById("notes").append(li);
        field.value = ""; showError("");
      } catch (e) { showError(e.message); }
    });

    document.getElementById("close").addEventListener("submit", async (event) => {
      event.preventDefault();
      const outcome = document.getElementById("outcome").value;
      if (!outcome) return;
      try { await post(api + "/close", { outcome }); showError(""); } catch (e) { showError(e.message); }
      refresh();
    });

    refresh();
    setInterval(refresh, 1500);
  }
})();
