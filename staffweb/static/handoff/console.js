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

  // -- alerts: on every console page ----------------------------------------------------
  // A new case, a new urgent one, and each new escalation of one nobody claimed raise a sound
  // (urgent: louder, three times), a desktop notification (once the browser allows it) and a
  // badge in the tab title, so that a case is not missed while the consultant is in another
  // tab or on another case. What was announced is kept per tab (sessionStorage): moving
  // between the queue and a case does not announce it again.
  const watched = document.querySelector("[data-watch]");
  const SEEN = "qamqor-console-seen";
  const baseTitle = document.title;
  let audio = null;

  function seen() {
    try { return JSON.parse(sessionStorage.getItem(SEEN) || "{}"); } catch (e) { return {}; }
  }

  function beep(urgent) {
    try {
      if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume().catch(() => {});
      for (let i = 0; i < (urgent ? 3 : 1); i++) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = urgent ? 880 : 587;
        gain.gain.value = urgent ? 0.6 : 0.2;
        osc.connect(gain).connect(audio.destination);
        const at = audio.currentTime + i * 0.4;
        osc.start(at);
        osc.stop(at + 0.25);
      }
    } catch (e) { /* no sound here: the title and the notification remain */ }
  }

  function notify(title, number, urgent) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try {
      const note = new Notification(title, { body: t("alert_body"), tag: number, requireInteraction: urgent });
      note.onclick = () => { window.focus(); location.href = "/staff/handoff/case/" + encodeURIComponent(number); };
    } catch (e) { /* some browsers allow notifications from a service worker only */ }
  }

  function watch(cases) {
    const before = seen();
    const now = {};
    let waiting = 0, urgentWaiting = 0;
    for (const c of cases) {
      if (c.state !== "queued") continue;
      waiting += 1;
      if (c.urgent) urgentWaiting += 1;
      const level = 1 + (c.escalations || 0);
      now[c.number] = level;
      const known = before[c.number] || 0;
      if (level <= known) continue;
      const title = known === 0
        ? t(c.urgent ? "alert_urgent" : "alert_new", { number: c.number })
        : t("alert_again", { number: c.number, count: c.escalations });
      beep(c.urgent || known > 0);
      notify(title, c.number, c.urgent);
    }
    sessionStorage.setItem(SEEN, JSON.stringify(now));
    document.title = (urgentWaiting ? "🔴 " : "") + (waiting ? `(${waiting}) ` : "") + baseTitle;
  }

  const switchButton = document.getElementById("alerts-on");
  function showSwitch() {
    if (!switchButton) return;
    const allowed = !("Notification" in window) || Notification.permission === "granted";
    const blocked = "Notification" in window && Notification.permission === "denied";
    const sounding = audio && audio.state === "running";
    switchButton.textContent = blocked ? switchButton.dataset.blocked
      : allowed && sounding ? switchButton.dataset.on : switchButton.textContent;
    switchButton.classList.toggle("on", Boolean(allowed && sounding));
  }
  if (switchButton) {
    switchButton.addEventListener("click", async () => {
      beep(false);  // a click lets the page make sounds from now on
      if ("Notification" in window && Notification.permission === "default") {
        try { await Notification.requestPermission(); } catch (e) { /* older API */ }
      }
      showSwitch();
    });
  }
  // Browsers start sound only after a gesture: the first click or key on the page does it.
  for (const kind of ["click", "keydown"]) {
    document.addEventListener(kind, () => {
      if (audio && audio.state === "suspended") audio.resume().then(showSwitch, () => {});
    }, { passive: true });
  }

  // The case page watches the queue too (the queue page feeds `watch` from its own poll).
  if (watched && !document.getElementById("queue")) {
    async function poll() {
      try {
        const resp = await fetch(watched.dataset.watch, { credentials: "same-origin" });
        if (resp.ok) watch((await resp.json()).cases);
      } catch (e) { /* try again */ }
    }
    poll();
    setInterval(poll, 3000);
  }

  // -- the queue ------------------------------------------------------------------------
  const queue = document.getElementById("queue");
  if (queue) {
    const body = queue.querySelector("tbody");
    const labels = Array.from(queue.querySelectorAll("thead th"), (th) => th.textContent.trim());
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
            (c.waited === null ? "—" : waited(Math.max(0, c.waited))) + (c.escalated ? " ⚠" : ""),
            (c.urgent ? t("urgent") + " " : "") + c.danger,
            c.lang,
            c.role,
            c.claimed_by + (c.failed ? ` ⚠ ${c.failed}` : ""),
          ];
          cells.forEach((cell, i) => {
            const td = el("td");
            if (labels[i]) td.dataset.label = labels[i];  // the cell's heading, on a phone
            if (typeof cell === "string") td.textContent = cell; else td.append(cell);
            tr.append(td);
          });
          body.append(tr);
        }
        watch(data.cases);
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
    const closeForm = document.getElementById("close");
    const confirmBox = document.getElementById("close-confirm");
    const reopenBox = document.getElementById("reopen-box");
    const referBox = document.getElementById("refer-box");
    let last = 0;
    let lastDir = "";  // the direction of the newest line: "in" is a message without an answer

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

    // The draft survives the end of a session (and a reload): kept in this tab only
    // (sessionStorage), per case, until it is sent.
    const draftKey = "qamqor-draft-" + box.dataset.number;
    if (!replyText.value) replyText.value = sessionStorage.getItem(draftKey) || "";
    replyText.addEventListener("input", () => sessionStorage.setItem(draftKey, replyText.value));
    const expired = document.getElementById("expired");
    const lastIn = document.getElementById("last-in");  // the person's last message, on top

    async function refresh() {
      try {
        const resp = await fetch(api + "?after=" + last + reason, { credentials: "same-origin" });
        // The session ended: say so at once (polling goes on, and the banner goes once the
        // consultant has logged in again, in this tab or another).
        expired.hidden = resp.status !== 401;
        if (!resp.ok) return;
        const data = await resp.json();
        for (const line of data.lines) {
          render(line);
          last = Math.max(last, line.id);
          if (line.dir === "in" || line.dir === "out") lastDir = line.dir;
          if (line.dir === "in") lastIn.textContent = `${line.at} — ${line.text.slice(0, 160)}`;
        }
        document.getElementById("state").textContent = data.state_label;
        document.getElementById("claimed").textContent = data.claimed_by;
        document.getElementById("quiet").hidden = !data.quiet;
        claimBox.hidden = data.state !== "queued";
        replyForm.hidden = !(data.mine && (data.state === "claimed" || data.state === "active"));
        const open = data.state === "queued" || data.state === "claimed" || data.state === "active";
        closeForm.hidden = !open;
        if (!open) confirmBox.hidden = true;
        reopenBox.hidden = !data.reopenable;
        referBox.hidden = replyForm.hidden || data.quiet;
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
      try {
        await post(api + "/reply", { text });
        replyText.value = "";
        sessionStorage.removeItem(draftKey);
        showError("");
      }
      catch (e) { showError(e.message); }
      refresh();
    });

    // A canned reply goes in at the cursor (or over the selection): the draft around it stays.
    // The textarea keeps its cursor while the focus is on a button or the search box.
    function insert(text) {
      const start = replyText.selectionStart ?? replyText.value.length;
      replyText.setRangeText(text, start, replyText.selectionEnd ?? start, "end");
      replyText.focus();
      sessionStorage.setItem(draftKey, replyText.value);
    }
    const cannedButtons = Array.from(document.querySelectorAll(".canned-btn"));
    for (const button of cannedButtons) {
      button.addEventListener("click", () => insert(button.dataset.text));
    }

    // The search over canned replies: every word typed must be in a reply's titles or texts
    // (either language). The person's language comes first, so Enter takes the match in it.
    const search = document.getElementById("canned-search");
    const none = document.getElementById("canned-none");
    function visibleCanned() { return cannedButtons.filter((b) => !b.hidden); }
    function filterCanned() {
      const words = search.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      for (const button of cannedButtons) {
        const haystack = (button.textContent + " " + button.dataset.search).toLocaleLowerCase();
        button.hidden = !words.every((w) => haystack.includes(w));
      }
      for (const group of document.querySelectorAll(".canned-group")) {
        group.hidden = !group.querySelector(".canned-btn:not([hidden])");
      }
      none.hidden = visibleCanned().length > 0;
    }
    function backToDraft() {
      search.value = "";
      filterCanned();
      replyText.focus();
    }
    search.addEventListener("input", filterCanned);
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();  // not the form's submit: Enter here picks a reply
        const first = visibleCanned()[0];
        if (first) { const text = first.dataset.text; backToDraft(); insert(text); }
      } else if (event.key === "Escape") {
        event.preventDefault();
        backToDraft();
      }
    });

    // The next case: the first one waiting in the queue's risk-ranked order (the same order
    // as the queue page), other than this one.
    const notice = document.getElementById("notice");
    async function nextCase() {
      try {
        const resp = await fetch(box.dataset.watch, { credentials: "same-origin" });
        if (!resp.ok) return;
        const next = (await resp.json()).cases.find(
          (c) => c.state === "queued" && c.number !== box.dataset.number);
        if (next) { location.href = "/staff/handoff/case/" + encodeURIComponent(next.number); return; }
        notice.textContent = t("no_next");
        notice.hidden = false;
      } catch (e) { /* the next press tries again */ }
    }

    // Keyboard shortcuts (the legend under the draft says them). While the consultant types
    // in a field only Ctrl/Cmd+Enter is taken; letters are matched by their key position
    // (event.code), so that they work in the Russian and Kazakh layouts too. Alt+N rather
    // than Ctrl+N or Ctrl+Tab, which browsers keep for themselves.
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = target instanceof HTMLElement
        && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        if (target && target.id === "note-text") {
          event.preventDefault();
          document.getElementById("note").requestSubmit();
        } else if (!replyForm.hidden && (!typing || target === replyText || target === search)) {
          event.preventDefault();
          replyForm.requestSubmit();
        }
        return;
      }
      if (typing || event.defaultPrevented) return;
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyN") {
        event.preventDefault();
        nextCase();
      } else if (!replyForm.hidden && ((event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey)
          || ((event.ctrlKey || event.metaKey) && event.code === "KeyK"))) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    });

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

    // Closing asks first, and warns when the person's last message has no answer: the
    // survey goes, and the topic closes, only once it is confirmed.
    closeForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!document.getElementById("outcome").value) return;
      document.getElementById("close-unanswered").hidden = lastDir !== "in";
      confirmBox.hidden = false;
      document.getElementById("close-no").focus();
    });
    document.getElementById("close-no").addEventListener("click", () => { confirmBox.hidden = true; });
    document.getElementById("close-yes").addEventListener("click", async () => {
      const outcome = document.getElementById("outcome").value;
      confirmBox.hidden = true;
      try { await post(api + "/close", { outcome }); showError(""); } catch (e) { showError(e.message); }
      refresh();
    });
    // A warm referral: the person gets a booking for the family service in their own chat.
    document.getElementById("refer").addEventListener("click", async () => {
      try {
        await post(api + "/refer");
        showError("");
        document.getElementById("referred").hidden = false;
      } catch (e) { showError(e.message); }
      refresh();
    });
    document.getElementById("reopen").addEventListener("click", async () => {
      try { await post(api + "/reopen"); showError(""); } catch (e) { showError(e.message); }
      refresh();
    });

    refresh();
    setInterval(refresh, 1500);
  }
})();
