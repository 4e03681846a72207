// The citizen forms on a bad connection (issue 13), in headless Chromium on a 360×740 screen:
// submit with the network off, see the "saved, not sent" message and no new row; network back,
// exactly one row, and a replay of the same item still one. The same for a complaint with a
// photo, which is shrunk on the phone. Then the SKM timed on a slow line (~400 kbps, 400 ms).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";

const base = process.env.SUARA_E2E_URL ?? "http://127.0.0.1:18090";
const shots = process.env.SUARA_E2E_SHOTS ?? "target/e2e";
const plannerPw = process.env.SUARA_E2E_PLANNER_PW;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
let failed = 0, passed = 0;
async function check(name, fn, options = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "id-ID", ...options });
  const page = await context.newPage();
  try {
    await fn(page, context);
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n${e.stack}`);
    await page.screenshot({ path: `${shots}/FAILED-${name.replace(/\W+/g, "-")}.png`, fullPage: true }).catch(() => {});
  } finally {
    await context.close();
  }
}

// Counted through the server, from Node (outside the browser's offline switch).
const ikm = async (slug) => (await (await fetch(`${base}/api/v1/units/${slug}/ikm`)).json()).responses;
let staffCookie = null;
async function complaints(slug) {
  if (!staffCookie) {
    const login = await browser.newContext();
    const p = await login.newPage();
    await p.goto(`${base}/login`);
    await p.fill("#email", "planner@e2e.id");
    await p.fill("#password", plannerPw);
    await p.locator("form button[type=submit]").click();
    await p.waitForURL(/\/staff/);
    staffCookie = (await login.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await login.close();
  }
  const r = await fetch(`${base}/api/v1/staff/complaints?unit=${slug}&size=1`, { headers: { cookie: staffCookie } });
  assert.equal(r.status, 200, "the planner reads the complaint queue");
  return (await r.json()).total;
}

// The page's own worker is in charge (it keeps the page and flushes the outbox).
async function workerReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    // The worker keeps the page asynchronously after being asked: wait until it is there.
    for (let i = 0; i < 50 && !(await caches.match(location.href)); i++) await new Promise((r) => setTimeout(r, 100));
  });
}

async function answerSkm(page) {
  await page.selectOption("#q-SERVICE", "ktp-el");
  for (const [code, v] of Object.entries({ U1: 4, U2: 3, U3: 3, U4: 4, U5: 3, U6: 3, U7: 4, U8: 2, U9: 3 })) {
    await page.check(`input[name="${code}"][value="${v}"]`);
  }
  await page.fill("#q-COMMENT", "Dikirim tanpa sinyal");
  await page.check('input[name="gender"][value="L"]');
}

const status = (page) => page.locator("[data-offline-status]");

await check("the SKM sent without a signal is saved on the phone and sent once when it is back", async (page, context) => {
  const slug = "disdukcapil-kota-jambi";
  const before = await ikm(slug);
  await page.goto(`${base}/u/${slug}/survey?src=qr`);
  await workerReady(page);
  await answerSkm(page);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Kirim penilaian" }).click();
  await status(page).filter({ hasText: "tersimpan di ponsel ini tetapi belum terkirim" }).waitFor();
  assert.match(await status(page).innerText(), /Menunggu: 1/);
  assert.equal(await page.getByRole("button", { name: "Kirim penilaian" }).isEnabled(), true, "unlocked again");
  await page.screenshot({ path: `${shots}/offline-survey-saved-360.png`, fullPage: false });
  assert.equal(await ikm(slug), before, "nothing reached the server");
  // A second tap offline keeps one copy (one submission key).
  await page.getByRole("button", { name: "Kirim penilaian" }).click();
  await status(page).filter({ hasText: "Menunggu: 1" }).waitFor();
  // The page still opens without a network, from the worker's copy, and says what waits.
  await page.reload();
  await status(page).filter({ hasText: "Menunggu: 1" }).waitFor();
  const saved = await page.evaluate(async () => (window.__saved = await SuaraQueue.all()).map((i) => i.key));
  assert.equal(saved.length, 1);
  assert.notEqual(await page.inputValue("input[name=submission_key]"), saved[0], "a used key is not offered again");
  await context.setOffline(false);
  await status(page).filter({ hasText: "sudah terkirim" }).waitFor();
  assert.equal(await ikm(slug), before + 1, "stored exactly once");
  assert.match(await status(page).locator("a").getAttribute("href"), new RegExp(`/u/${slug}/thanks(\\?low=1)?$`));
  // The same item sent again (a worker and a page racing, a lost answer): still one row.
  const left = await page.evaluate(async () => {
    await SuaraQueue.put(window.__saved[0]);
    return SuaraQueue.flush();
  });
  assert.equal(left, 0);
  assert.equal(await ikm(slug), before + 1, "a replay never doubles");
});

if (plannerPw) await check("a complaint with a photo sent without a signal is shrunk, saved and sent once", async (page, context) => {
  const slug = "rsud-raden-mattaher";
  const before = await complaints(slug);
  await page.goto(`${base}/u/${slug}/complaint`);
  await workerReady(page);
  // A 4000×3000 camera-sized photo, made in the browser (noise, so it does not compress away).
  const photo = Buffer.from(await page.evaluate(async () => {
    const c = new OffscreenCanvas(4000, 3000), x = c.getContext("2d");
    for (let i = 0; i < 3000; i++) {
      x.fillStyle = `hsl(${i % 360},70%,${30 + (i % 40)}%)`;
      x.fillRect((i * 97) % 4000, (i * 61) % 3000, 200, 120);
    }
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: "image/jpeg", quality: 0.95 })).arrayBuffer());
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }), "base64");
  await page.selectOption("#category", "waktu_tunggu");
  await page.fill("#description", "Antrean di loket pendaftaran tidak bergerak selama dua jam tanpa penjelasan.");
  await page.setInputFiles("#attachments", { name: "antrean.jpg", mimeType: "image/jpeg", buffer: photo });
  await context.setOffline(true);
  await page.getByRole("button", { name: "Kirim laporan" }).click();
  await status(page).filter({ hasText: "Laporan Anda tersimpan di ponsel ini" }).waitFor();
  assert.match(await status(page).innerText(), /Menunggu: 1/);
  await page.screenshot({ path: `${shots}/offline-complaint-saved-360.png`, fullPage: false });
  assert.equal(await complaints(slug), before, "nothing reached the server");
  const kept = await page.evaluate(async () => {
    const [item] = await SuaraQueue.all();
    window.__saved = item;
    const file = item.fields.find(([n]) => n === "attachments")[1];
    const img = await createImageBitmap(file);
    return { name: file.name, type: file.type, size: file.size, w: img.width, h: img.height };
  });
  assert.equal(kept.type, "image/jpeg");
  assert.equal(Math.max(kept.w, kept.h), 1600, `shrunk to 1600 px: ${JSON.stringify(kept)}`);
  assert.ok(kept.size < photo.length, `smaller than the ${photo.length} bytes taken`);
  console.log(`# photo ${photo.length} bytes 4000×3000 -> ${kept.size} bytes ${kept.w}×${kept.h}`);
  await context.setOffline(false);
  await status(page).filter({ hasText: "sudah terkirim" }).waitFor();
  assert.equal(await complaints(slug), before + 1, "stored exactly once");
  const track = await status(page).locator("a").getAttribute("href");
  assert.match(track, /\/track\/SRA-/, "the tracking page is offered");
  await page.evaluate(async () => { await SuaraQueue.put(window.__saved); await SuaraQueue.flush(); });
  assert.equal(await complaints(slug), before + 1, "a replay never doubles");
});

await check("with no page open, the worker sends the outbox when the signal is back (Background Sync)", async (page, context) => {
  const slug = "samsat-kota-jambi";
  await page.goto(`${base}/u/${slug}/survey`);
  await workerReady(page);
  if (!(await page.evaluate(async () => "sync" in (await navigator.serviceWorker.ready)))) {
    console.log("# no Background Sync in this browser: the pages send on load and on `online`");
    return;
  }
  await page.selectOption("#q-SERVICE", { index: 1 });
  for (const q of ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]) await page.check(`input[name="${q}"][value="4"]`);
  const before = await ikm(slug);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Kirim penilaian" }).click();
  await status(page).filter({ hasText: "Menunggu: 1" }).waitFor();
  await page.goto("about:blank"); // no page left to send it
  await context.setOffline(false);
  for (let i = 0; i < 30 && (await ikm(slug)) === before; i++) await new Promise((r) => setTimeout(r, 500));
  assert.equal(await ikm(slug), before + 1, "sent by the worker, once");
});

await check("a refused saved form comes back with its errors on the next visit", async (page, context) => {
  const slug = "samsat-kota-jambi";
  await page.goto(`${base}/u/${slug}/complaint`);
  await workerReady(page);
  await page.selectOption("#category", "waktu_tunggu");
  await page.fill("#description", "Terlalu singkat"); // under 20 characters: the server refuses
  await context.setOffline(true);
  await page.getByRole("button", { name: "Kirim laporan" }).click();
  await status(page).filter({ hasText: "Menunggu: 1" }).waitFor();
  await context.setOffline(false);
  await page.locator("#form-errors").waitFor();
  assert.match(await page.locator("#e-description").innerText(), /20–4.000/);
  assert.equal(await page.inputValue("#description"), "Terlalu singkat", "what was written is kept");
  assert.match(await status(page).innerText(), /belum diterima/);
  assert.equal(await page.evaluate(() => SuaraQueue.waiting()), 0, "not sent again and again");
});

await check("a photo upload shows progress and the button is locked while sending", async (page) => {
  const slug = "rsud-raden-mattaher";
  await page.goto(`${base}/u/${slug}/complaint`);
  const cdp = await page.context().newCDPSession(page);
  // ~400 kbps up: a few hundred KB take seconds, so progress is visible.
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 100, downloadThroughput: 50_000, uploadThroughput: 50_000 });
  const photo = Buffer.from(await page.evaluate(async () => {
    // Pixel noise: neither PNG nor the JPEG it is turned into can make it small.
    const c = new OffscreenCanvas(300, 300), x = c.getContext("2d"), img = x.createImageData(300, 300);
    for (let i = 0; i < img.data.length; i++) img.data[i] = i % 4 === 3 ? 255 : (Math.random() * 256) | 0;
    x.putImageData(img, 0, 0);
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: "image/png" })).arrayBuffer());
    let s = ""; for (const b of bytes) s += String.fromCharCode(b); return btoa(s);
  }), "base64");
  await page.selectOption("#category", "waktu_tunggu");
  await page.fill("#description", "Petugas loket meminta biaya tambahan yang tidak tercantum di papan tarif.");
  await page.setInputFiles("#attachments", { name: "tarif.png", mimeType: "image/png", buffer: photo });
  const labels = [];
  await page.exposeFunction("reportLabel", (text, disabled) => labels.push([text, disabled]));
  await page.evaluate(() => {
    const b = document.querySelector("form[data-offline] button[type=submit]");
    new MutationObserver(() => window.reportLabel(b.textContent, b.disabled)).observe(b, { childList: true, characterData: true, subtree: true });
  });
  await page.getByRole("button", { name: "Kirim laporan" }).click();
  await page.waitForURL(/\/track\/SRA-/, { timeout: 60_000 });
  const shown = labels.map(([t]) => t);
  assert.ok(labels.every(([, disabled]) => disabled), `locked while sending: ${JSON.stringify(labels)}`);
  assert.ok(shown.includes("Mengirim…"), JSON.stringify(shown));
  const percents = shown.map((t) => /(\d+)%$/.exec(t)).filter(Boolean).map((m) => +m[1]);
  assert.ok(percents.length >= 3 && percents.some((p) => p > 0 && p < 100), `progress shown: ${JSON.stringify(shown)}`);
  console.log(`# upload of ${photo.length} bytes showed ${percents.length} progress steps`);
});

// The SKM from the QR link to the thank-you page on a slow line; prints seconds and bytes.
async function timedSkm(page, context, label) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 });
  // Bytes on the wire: the page's from CDP (0 for what its cache or the worker answered), the
  // worker's own downloads from Playwright (a negative body size is a cache hit).
  let page_bytes = 0, worker_bytes = 0, requests = 0;
  await cdp.send("Network.enable");
  cdp.on("Network.loadingFinished", (e) => { page_bytes += e.encodedDataLength; if (e.encodedDataLength) requests++; });
  const count = async (r) => {
    if (!r.serviceWorker()) return;
    const s = await r.sizes().catch(() => null);
    if (s && s.responseBodySize >= 0) { worker_bytes += s.responseBodySize + s.responseHeadersSize; requests++; }
  };
  context.on("requestfinished", count);
  const t0 = Date.now();
  await page.goto(`${base}/u/disdukcapil-kota-jambi?src=qr`);
  await page.getByRole("link", { name: "Nilai layanan ini" }).click();
  await page.waitForURL(/\/survey/);
  const tForm = Date.now();
  await answerSkm(page);
  await page.getByRole("button", { name: "Kirim penilaian" }).click();
  await page.waitForURL(/\/thanks(\?low=1)?$/, { timeout: 60_000 });
  await page.waitForLoadState("load");
  const t1 = Date.now();
  context.off("requestfinished", count);
  await cdp.detach();
  console.log(`# SKM at 400 kbps / 400 ms RTT, ${label}: ${((t1 - t0) / 1000).toFixed(1)} s ` +
    `(form open after ${((tForm - t0) / 1000).toFixed(1)} s, submit to thank-you ${((t1 - tForm) / 1000).toFixed(1)} s ` +
    `incl. answering by script), ${requests} downloads, ${page_bytes} bytes by the page + ${worker_bytes} by the worker`);
  return t1 - t0;
}
await check("the SKM on a slow line, first visit and again", async (page, context) => {
  assert.ok((await timedSkm(page, context, "first visit, with JavaScript")) < 30_000);
  // The worker's own requests escape the page's throttling: this one is optimistic.
  assert.ok((await timedSkm(page, context, "second visit, worker installed (its requests not throttled)")) < 30_000);
});
await check("the SKM on a slow line, script without its worker", async (page, context) => {
  assert.ok((await timedSkm(page, context, "script, worker blocked")) < 30_000);
}, { serviceWorkers: "block" });
await check("the SKM on a slow line, without JavaScript", async (page, context) => {
  assert.ok((await timedSkm(page, context, "without JavaScript")) < 30_000);
}, { javaScriptEnabled: false });

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
