// The citizen and planner flows on a 360×740 phone screen in headless Chromium: open the unit
// from its QR link, answer the SKM, get one validation error back with the answers kept, fix it,
// reach the thank-you page; file a complaint and track it; then a planner reads the analytics and
// acts on a training recommendation. Screenshots go to target/e2e/.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";

const base = process.env.SUARA_E2E_URL ?? "http://127.0.0.1:18090";
const shots = process.env.SUARA_E2E_SHOTS ?? "target/e2e";
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
let failed = 0, passed = 0;
async function check(name, fn) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "id-ID" });
  const page = await context.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  try {
    await fn(page);
    assert.deepEqual(external, [], "no request leaves the server");
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

async function noSideScroll(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `page is ${w}px wide at a 360px viewport`);
}

await check("citizen rates a service on a phone", async (page) => {
  // The demo history has already stored responses for this unit: count what this test adds.
  const ikmUrl = `${base}/api/v1/units/disdukcapil-kota-jambi/ikm`;
  const before = (await (await page.request.get(ikmUrl)).json()).responses;
  await page.goto(`${base}/u/disdukcapil-kota-jambi?src=qr`);
  await noSideScroll(page);
  await page.getByRole("link", { name: "Nilai layanan ini" }).click();
  await page.waitForURL(/\/survey/);
  await noSideScroll(page);
  await page.selectOption("#q-SERVICE", "ktp-el");
  const answers = { U1: 4, U2: 3, U4: 4, U5: 3, U6: 3, U7: 4, U9: 3, U8: 2 }; // U3 forgotten on purpose
  for (const [code, v] of Object.entries(answers)) {
    await page.check(`input[name="${code}"][value="${v}"]`);
  }
  await page.fill("#q-WAIT_MIN", "95");
  await page.fill("#q-COMMENT", "Antrean panjang tapi petugas ramah");
  await page.check('input[name="gender"][value="P"]');
  // The browser's own required check would stop us first; the server's message is what we test.
  await page.evaluate(() => document.querySelector("form[action$='/survey']").setAttribute("novalidate", ""));
  await page.getByRole("button", { name: "Kirim penilaian" }).click();
  await page.waitForLoadState();
  await page.screenshot({ path: `${shots}/survey-error-360.png`, fullPage: true });
  const alert = page.locator("#form-errors");
  await alert.waitFor();
  assert.match(await page.locator("#e-U3").innerText(), /Wajib diisi/);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), "form-errors", "the error summary takes focus");
  assert.equal(await alert.locator('a[href="#f-U3"]').count(), 1, "the summary links to the question");
  assert.equal(await page.inputValue("#q-WAIT_MIN"), "95", "wait time kept");
  assert.equal(await page.inputValue("#q-COMMENT"), "Antrean panjang tapi petugas ramah", "comment kept");
  assert.ok(await page.isChecked('input[name="U1"][value="4"]'), "answers kept");
  await page.check('input[name="U3"][value="2"]');
  await page.getByRole("button", { name: "Kirim penilaian" }).click();
  // A 2 on an element: the thank-you page offers a complaint.
  await page.waitForURL(/\/thanks\?low=1$/);
  await page.screenshot({ path: `${shots}/survey-thanks-360.png`, fullPage: true });
  assert.match(await page.locator("h1").innerText(), /Terima kasih/);
  const ikm = await (await page.request.get(ikmUrl)).json();
  assert.equal(ikm.responses, before + 1, "the response was stored once");
});

await check("tap targets are large and every input has a label", async (page) => {
  await page.goto(`${base}/u/rsud-raden-mattaher/survey`);
  await page.screenshot({ path: `${shots}/survey-form-360.png`, fullPage: false });
  const small = await page.evaluate(() =>
    [...document.querySelectorAll("label.choice, button, select, input[type=number], textarea")]
      .filter((el) => el.getBoundingClientRect().height < 40).length);
  assert.equal(small, 0, "targets at least 40px high");
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll("input:not([type=hidden]):not([tabindex='-1']), select, textarea")]
      .filter((el) => !(el.labels && el.labels.length)).map((el) => el.name));
  assert.deepEqual(unlabeled, []);
});

await check("the page works in English", async (page) => {
  await page.goto(`${base}/u/samsat-kota-jambi`);
  await page.getByRole("link", { name: "English" }).click();
  await page.getByRole("link", { name: "Rate this service" }).waitFor();
});

await check("citizen files a complaint and tracks it", async (page) => {
  await page.goto(`${base}/u/rsud-raden-mattaher`);
  await page.getByRole("link", { name: "Sampaikan pengaduan" }).click();
  await page.waitForURL(/\/complaint$/);
  await noSideScroll(page);
  await page.selectOption("#category", "waktu_tunggu");
  await page.fill("#description", "Terlalu singkat");
  await page.fill("#wait_minutes", "240");
  await page.check('input[name="anonim"]');
  await page.getByRole("button", { name: "Kirim laporan" }).click();
  await page.waitForLoadState();
  assert.match(await page.locator("#e-description").innerText(), /20–4.000/);
  assert.equal(await page.inputValue("#wait_minutes"), "240", "values kept");
  assert.ok(await page.isChecked('input[name="anonim"]'));
  await page.fill("#description", "Saya menunggu empat jam di poliklinik anak tanpa kepastian kapan dipanggil.");
  await page.getByRole("button", { name: "Kirim laporan" }).click();
  await page.waitForURL(/\/track\/SRA-/);
  await page.screenshot({ path: `${shots}/complaint-tracking-360.png`, fullPage: true });
  const id = (await page.locator("#tracking-id").innerText()).trim();
  assert.match(id, /^SRA-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  // The reopen code is shown once, on the citizen's own page, and fills in the reopen form.
  assert.match(await page.locator("body").innerText(), /Kode buka kembali: [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/);
  await page.goto(`${base}/track`);
  await page.fill("#id", id.toLowerCase());
  await page.getByRole("button", { name: "Lacak pengaduan" }).click();
  await page.waitForURL(new RegExp(`/track/${id}$`));
  assert.match(await page.locator("body").innerText(), /Diterima/);
});

// A planner (created by .ci/e2e) reads the analytics and the training loop the demo history shows.
const plannerPw = process.env.SUARA_E2E_PLANNER_PW;
if (plannerPw) {
  await check("planner reads analytics and acts on a training recommendation", async (page) => {
    await page.goto(`${base}/login`);
    await page.fill("#email", "planner@e2e.id");
    await page.fill("#password", plannerPw);
    await page.locator("form button[type=submit]").click();
    await page.waitForURL(/\/staff/);
    await page.goto(`${base}/planner`);
    assert.match(await page.locator("h1").innerText(), /\S/);
    await page.goto(`${base}/planner/units/rsud-raden-mattaher`);
    assert.ok((await page.locator("svg").count()) > 0, "trend charts are drawn as SVG");
    await page.screenshot({ path: `${shots}/planner-unit-360.png`, fullPage: true });
    await page.goto(`${base}/planner/units/rsud-raden-mattaher/report?head=dr.%20Hana%20Putri&nip=198001012005012001`);
    assert.match(await page.locator("body").innerText(), /U3/);
    // The official report printed to A4 as an office document: at most three pages.
    const pdf = await page.pdf({ format: "A4", printBackground: false, preferCSSPageSize: true });
    writeFileSync(`${shots}/skm-report.pdf`, pdf);
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    console.log(`# SKM report: ${pages} A4 page(s), ${pdf.length} bytes`);
    assert.ok(pages >= 1 && pages <= 3, `the SKM report prints on ${pages} pages`);
    // The desk at 1280 px: the report and the queue use the width.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${shots}/skm-report-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/planner/training`);
    const body = await page.locator("body").innerText();
    assert.match(body, /Rekomendasi pelatihan/);
    assert.match(body, /Manajemen Antrian dan Waktu Layanan/);
    assert.match(body, /Efektif/);
    assert.match(body, /tidak ada perubahan signifikan/i);
    await page.screenshot({ path: `${shots}/training-360.png`, fullPage: true });
    await page.locator("h2 a", { hasText: "Manajemen Antrian" }).first().click();
    await page.waitForURL(/\/planner\/training\/\d+$/);
    await page.getByRole("button", { name: "Terima" }).click();
    // Back on the recommendation, which says what the button did.
    await page.waitForURL(/\/planner\/training\/\d+\?ok=training_accept$/);
    assert.match(await page.locator("body").innerText(), /Rekomendasi disetujui\./);
    // A schedule that ends before it starts comes back with the message beside the field.
    await page.fill("#s-start_date", "2027-03-03");
    await page.fill("#s-end_date", "2027-03-02");
    await page.fill("#s-part", "25");
    await page.getByRole("button", { name: "Simpan jadwal" }).click();
    assert.match(await page.locator(".error").first().innerText(), /Tanggal selesai/);
    assert.equal(await page.inputValue("#s-part"), "25");
    await page.fill("#s-end_date", "2027-03-04");
    await page.getByRole("button", { name: "Simpan jadwal" }).click();
    await page.waitForURL(/\?ok=training_schedule$/);
    assert.match(await page.locator("body").innerText(), /Jadwal pelatihan disimpan\./);
    assert.match(await page.locator("body").innerText(), /Dijadwalkan/);
    await noSideScroll(page);
    await page.goto(`${base}/planner/training/plan?year=2027`);
    assert.match(await page.locator("body").innerText(), /400 JP/);
    await page.screenshot({ path: `${shots}/training-plan-360.png`, fullPage: true });
  });
}

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
