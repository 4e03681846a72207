// Citizen forms on a bad connection (issue 13). The survey and complaint pages load this file;
// the service worker (/sw.js) loads it too, with importScripts, for the outbox half only.
// Without JavaScript (or with a browser too old to parse this) the forms post as plain HTML.
"use strict";
(function (g) {
  // ---- The outbox: forms that could not be sent, kept in IndexedDB until the server answers.
  // One record per one-time submission key: sending the same form twice offline keeps one copy,
  // and the server stores a key once, so a replay (or a page and the worker racing) never doubles.
  const STORE = "outbox";
  function db() {
    return new Promise((ok, fail) => {
      const r = indexedDB.open("suara-offline", 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: "key" });
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
  }
  async function tx(mode, fn) {
    const d = await db();
    return new Promise((ok, fail) => {
      const t = d.transaction(STORE, mode);
      const r = fn(t.objectStore(STORE));
      t.oncomplete = () => { d.close(); ok(r.result); };
      t.onerror = t.onabort = () => { d.close(); fail(t.error); };
    });
  }
  const Q = {
    put: (item) => tx("readwrite", (s) => s.put(item)),
    all: () => tx("readonly", (s) => s.getAll()),
    del: (key) => tx("readwrite", (s) => s.delete(key)),
    waiting: async () => (await Q.all()).filter((i) => i.state === "wait").length,
  };
  // The body the form itself would send: multipart (files) or urlencoded.
  Q.body = (item) => {
    if (!item.multipart) return new URLSearchParams(item.fields);
    const f = new FormData();
    for (const [n, v] of item.fields) typeof v === "string" ? f.append(n, v) : f.append(n, v, v.name);
    return f;
  };
  // Sends one waiting item; false when it should wait longer (no network, 429, 5xx).
  async function replay(item) {
    let res;
    try {
      res = await fetch(item.url, { method: "POST", body: Q.body(item), credentials: "same-origin" });
    } catch (e) {
      return false;
    }
    if (res.ok) return Q.put({ ...item, fields: [], state: "sent", result: res.url }).then(() => true);
    if (res.status === 429 || res.status >= 500) return false;
    // Refused (a 422 with the form's errors, a 413): keep the page so the citizen sees why on
    // their next visit to that form, instead of dropping it or sending it again forever.
    return Q.put({ ...item, fields: [], state: "refused", html: await res.text() }).then(() => true);
  }
  // Sends what waits, oldest first, stopping at the first failure; answers how many still wait.
  let flushing = null;
  Q.flush = () => flushing || (flushing = (async () => {
    try {
      const items = (await Q.all()).filter((i) => i.state === "wait").sort((a, b) => a.saved - b.saved);
      for (const item of items) if (!(await replay(item))) break;
      return await Q.waiting();
    } finally {
      flushing = null;
    }
  })());
  g.SuaraQueue = Q;
  if (typeof document === "undefined" || !g.indexedDB || !g.fetch) return;

  // ---- The page: enhances forms marked data-offline; messages come translated in data-*.
  const MAX_SIDE = 1600; // photos are shrunk to this longest side, as JPEG
  const CAP = 6 * 1024 * 1024; // what one queued form may keep on the phone (3 photos × 2 MB)
  function used() {
    try { return JSON.parse(localStorage.getItem("suara-used-keys") || "[]"); } catch (e) { return []; }
  }
  function markUsed(key) {
    try { localStorage.setItem("suara-used-keys", JSON.stringify(used().concat(key).slice(-50))); } catch (e) { /* private mode */ }
  }
  function freshKey() {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !g.createImageBitmap) return file;
    try {
      const img = await createImageBitmap(file);
      const s = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
      const c = document.createElement("canvas");
      c.width = Math.round(img.width * s);
      c.height = Math.round(img.height * s);
      const x = c.getContext("2d");
      x.fillStyle = "#fff"; // transparent PNG areas would turn black in a JPEG
      x.fillRect(0, 0, c.width, c.height);
      x.drawImage(img, 0, 0, c.width, c.height);
      const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.8));
      if (!blob || blob.size >= file.size) return file;
      return new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" });
    } catch (e) {
      return file; // not decodable here: the server checks it anyway
    }
  }

  // XMLHttpRequest rather than fetch: only it reports upload progress. A connection that stalls
  // for 30 s counts as lost; the key makes a late arrival of the first attempt harmless.
  function send(item, progress) {
    return new Promise((ok) => {
      const x = new XMLHttpRequest();
      let idle;
      const poke = () => { clearTimeout(idle); idle = setTimeout(() => x.abort(), 30000); };
      x.open("POST", item.url);
      x.upload.onprogress = (e) => { poke(); if (e.lengthComputable) progress(Math.floor((100 * e.loaded) / e.total)); };
      x.onprogress = poke;
      x.onload = () => { clearTimeout(idle); ok({ status: x.status, url: x.responseURL, html: x.responseText }); };
      x.onerror = x.onabort = x.ontimeout = () => { clearTimeout(idle); ok({ status: 0 }); };
      poke();
      x.send(Q.body(item));
    });
  }

  let reg = null;
  if ("serviceWorker" in navigator) {
    // Scope /u/: the worker controls citizen pages only, never a staff page.
    navigator.serviceWorker.register("/sw.js", { scope: "/u/" }).then(() => navigator.serviceWorker.ready).then((r) => {
      reg = r;
      // The first visit was loaded before the worker existed: ask it to keep this page too.
      if (document.querySelector("form[data-offline]")) r.active.postMessage({ cache: location.href });
    }).catch(() => {});
  }

  function enhance(form) {
    const d = form.dataset;
    const out = form.querySelector("[data-offline-status]");
    const btn = form.querySelector("button[type=submit]");
    const key = form.elements.submission_key;
    // A page from the worker's cache carries a key this phone may have sent already.
    if (key && used().includes(key.value)) key.value = freshKey();
    function say(text, links) {
      out.textContent = text;
      for (const href of links || []) {
        const a = document.createElement("a");
        a.href = href;
        a.textContent = d.view;
        out.append(" ", a);
      }
    }
    const saved = (n) => say(d.saved.replace("{n}", n));

    // What the outbox holds for this phone: a refused form for this page, sent ones, waiting ones.
    async function report() {
      const items = await Q.all();
      const refused = items.find((i) => i.state === "refused" && i.url === form.action);
      if (refused) {
        await Q.del(refused.key);
        if (showPage(refused.html, d.refused)) return;
      }
      const sent = items.filter((i) => i.state === "sent");
      for (const i of sent) await Q.del(i.key);
      const n = items.filter((i) => i.state === "wait").length;
      if (sent.length) say(d.sent + (n ? " " + d.saved.replace("{n}", n) : ""), sent.map((i) => i.result));
      else if (n) saved(n);
    }
    form.report = () => Q.flush().catch(() => {}).then(report).catch(() => {});

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (btn.disabled) return; // a double tap while sending
      const label = btn.textContent;
      btn.disabled = true;
      btn.setAttribute("aria-busy", "true");
      btn.textContent = d.sending;
      let item;
      try {
        const fields = [];
        for (const [n, v] of new FormData(form)) {
          if (typeof v === "string") fields.push([n, v]);
          else if (v.size) fields.push([n, await shrink(v)]);
        }
        if (!key.value) key.value = freshKey();
        item = { key: key.value, url: form.action, multipart: form.enctype === "multipart/form-data", fields, saved: Date.now(), state: "wait" };
      } catch (e) {
        form.submit(); // something unexpected in this browser: the plain form still works
        return;
      }
      markUsed(item.key);
      const files = item.fields.some(([, v]) => typeof v !== "string");
      // A phone that knows it is offline does not wait for the request to fail.
      const r = navigator.onLine === false ? { status: 0 }
        : await send(item, (p) => { if (files) btn.textContent = d.sending + " " + p + "%"; });
      if (r.status >= 200 && r.status < 300) return location.assign(r.url); // stays locked
      btn.disabled = false;
      btn.removeAttribute("aria-busy");
      btn.textContent = label;
      // The server's answer (form errors, 413, 429…) in place, or as the plain form would get it.
      if (r.status) return showPage(r.html) || form.submit();
      try {
        if (item.fields.reduce((n, [, v]) => n + (v.size || 0), 0) > CAP) throw new Error("too big");
        await Q.put(item);
      } catch (e) {
        return say(d.notSaved);
      }
      if (reg && reg.sync) reg.sync.register("suara-outbox").catch(() => {});
      saved(await Q.waiting());
    });
    form.report();
  }

  // Puts the server's page (a form with its errors) in place of this one's main content.
  function showPage(html, note) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const main = doc.querySelector("main");
    if (!main) return false;
    document.title = doc.title;
    document.querySelector("main").replaceWith(document.adoptNode(main));
    const form = main.querySelector("form[data-offline]");
    if (form) enhance(form);
    if (form && note) form.querySelector("[data-offline-status]").textContent = note;
    const alert = main.querySelector("[role=alert]") || main.querySelector("h1");
    alert.tabIndex = -1;
    alert.focus();
    return true;
  }

  // A form that came back with errors: the summary (a link to each question) takes focus, so a
  // screen reader reads it and the citizen is not left at the top of a long page.
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
  const form = document.querySelector("form[data-offline]");
  if (!form) return;
  enhance(form);
  g.addEventListener("online", () => {
    const f = document.querySelector("form[data-offline]");
    if (f && f.report) f.report();
  });
})(self);
