// The service worker: keeps the citizen pages for when the phone is offline, and sends the
// outbox of /static/offline.js when the browser says the connection is back (Background Sync;
// the pages also send it on load and on `online`, for browsers without it).
// The server writes the script's versioned URL in: a new offline.js makes a new worker too.
const SCRIPT = "OFFLINE_JS_URL";
importScripts(SCRIPT);
const CACHE = "suara-v1";
// Unit pages, their survey and complaint forms, and the static files they load (the worker's
// scope is /u/, so staff pages never reach it; this list keeps thank-you and other pages out).
const KEEP = /^\/(static\/[\w.]+|u\/[\w-]+(\/survey|\/complaint)?)$/;

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(["/static/suara.css", SCRIPT])).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Network first (through the HTTP cache, so static files still come from it), the copy when
// there is no network.
self.addEventListener("fetch", (e) => {
  const u = new URL(e.request.url);
  if (e.request.method !== "GET" || u.origin !== location.origin || !KEEP.test(u.pathname)) return;
  e.respondWith(fetch(e.request).then((res) => {
    if (res.ok) {
      const copy = res.clone();
      e.waitUntil(caches.open(CACHE).then((c) => c.put(e.request, copy)));
    }
    return res;
  }).catch(() => caches.match(e.request)
    .then((hit) => hit || caches.match(e.request, { ignoreSearch: true }))
    .then((hit) => hit || Response.error())));
});

// A page loaded before this worker existed asks for itself to be kept.
self.addEventListener("message", (e) => {
  const url = e.data && e.data.cache;
  if (!url || new URL(url).origin !== location.origin || !KEEP.test(new URL(url).pathname)) return;
  e.waitUntil(caches.open(CACHE).then((c) => c.match(url).then((hit) => hit || c.add(url))));
});

self.addEventListener("sync", (e) => {
  if (e.tag !== "suara-outbox") return;
  // Rejecting asks the browser to try again later.
  e.waitUntil(self.SuaraQueue.flush().then((n) => { if (n) throw new Error(n + " still waiting"); }));
});
