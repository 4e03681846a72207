// The main pages at a phone's 360 px and a desk's 1280 px: a screenshot of each, and axe-core's
// accessibility rules with no serious or critical violation. Run by .ci/e2e after the other
// browser tests (a planner account comes from it; the pages come from the demo data).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

const base = process.env.SUARA_E2E_URL ?? "http://127.0.0.1:18090";
const plannerPw = process.env.SUARA_E2E_PLANNER_PW;
const supervisorPw = process.env.SUARA_E2E_SUPERVISOR_PW;
const shots = process.env.SUARA_E2E_SHOTS ?? "target/e2e";
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const unit = "rsud-raden-mattaher";
const citizen = ["/", `/u/${unit}`, `/u/${unit}/survey`, `/u/${unit}/complaint`, "/track", `/u/${unit}/thanks?low=1`, `/u/${unit}/hasil`];
const desk = ["/staff", "/staff/complaints", "/planner", `/planner/units/${unit}`, `/planner/units/${unit}/report`, "/planner/training", "/planner/follow-ups", "/planner/pekppp", "/planner/jp"];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
let failed = 0, passed = 0;

async function login(page, email, password) {
  await page.goto(`${base}/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.locator("form button[type=submit]").click();
  await page.waitForURL(/\/staff/);
}

async function audit(page, path, width) {
  await page.goto(`${base}${path}`);
  const name = (path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home") + `-${width}`;
  await page.screenshot({ path: `${shots}/page-${name}.png`, fullPage: true });
  // The page's CSP allows only its own scripts: the context bypasses it to run axe.
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const size = await page.evaluate(() => performance.getEntriesByType("navigation")[0]?.transferSize ?? 0);
  return { name, bad, size };
}

for (const width of [360, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "id-ID", bypassCSP: true });
  const page = await context.newPage();
  const pages = [...citizen];
  if (plannerPw) {
    await login(page, "planner@e2e.id", plannerPw);
    pages.push(...desk);
  }
  for (const path of pages) {
    try {
      const { name, bad, size } = await audit(page, path, width);
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `${path} at ${width}px`);
      passed++;
      console.log(`ok - ${path} at ${width}px: no serious or critical axe violation (${name}.png, ${size} bytes)`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${path} at ${width}px\n${e.message}`);
    }
  }
  await context.close();
}

// A supervisor's complaint page: the action panel starts within the first 900 px at a 1280 px
// desk (the usual action needs no scrolling), and it and the reply templates page pass axe at both
// widths.
if (supervisorPw) {
  for (const width of [360, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "id-ID", bypassCSP: true });
    const page = await context.newPage();
    await login(page, "kasi@e2e.id", supervisorPw);
    await page.goto(`${base}/staff/complaints?status=all`);
    const href = await page.locator("a[href^='/staff/complaints/SRA-']").first().getAttribute("href");
    for (const path of [href, `/staff/units/${unit}/reply-templates`]) {
      try {
        const { name, bad, size } = await audit(page, path, width);
        assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `${path} at ${width}px`);
        if (path === href && width === 1280) {
          const top = await page.evaluate(() => document.querySelector("#act").getBoundingClientRect().top + window.scrollY);
          assert.ok(top < 900, `the action panel starts at ${top} px, below the first 900 px`);
          // Choosing an action shows only its fields (no JavaScript: CSS :has()).
          await page.check("#op-note");
          assert.ok(await page.isVisible("#n-body"), "the note's field shows");
          assert.ok(!(await page.isVisible("#r-body")), "the reply's field hides");
          console.log(`ok - ${path}: the action panel starts at ${Math.round(top)} px at 1280×900`);
        }
        passed++;
        console.log(`ok - ${path} at ${width}px: no serious or critical axe violation (${name}.png, ${size} bytes)`);
      } catch (e) {
        failed++;
        console.log(`not ok - ${path} at ${width}px\n${e.message}`);
      }
    }
    await context.close();
  }
}
// An employee's needs page at a phone's 360 px: the supervisor opens the year's needs round (the
// API, with the session's CSRF token) and the first personal link is audited.
if (supervisorPw) {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: "id-ID", bypassCSP: true });
  const page = await context.newPage();
  try {
    await login(page, "kasi@e2e.id", supervisorPw);
    await page.goto(`${base}/staff`);
    const csrf = await page.locator("input[name=csrf]").first().inputValue();
    const r = await page.request.post(`${base}/api/v1/units/${unit}/need-rounds`, { headers: { "x-csrf-token": csrf }, data: {} });
    assert.equal(r.status(), 201, await r.text());
    const { links } = await r.json();
    assert.ok(links.length > 0, "the demo unit has people to ask");
    const path = new URL(links[0].url).pathname;
    const { name, bad, size } = await audit(page, path, 360);
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], "the needs page at 360px");
    passed++;
    console.log(`ok - an employee's needs page at 360px: no serious or critical axe violation (${name}.png, ${size} bytes)`);
    // The supervisor's people page (the round open, a confirmation form per person) at both widths.
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      const desk = await audit(page, `/staff/units/${unit}/people`, width);
      assert.deepEqual(desk.bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `the people page at ${width}px`);
      passed++;
      console.log(`ok - the supervisor's people page at ${width}px: no serious or critical axe violation (${desk.name}.png)`);
    }
  } catch (e) {
    failed++;
    console.log(`not ok - the needs page\n${e.message}`);
  }
  await context.close();
}
// The waiting-room display at a TV's 1920×1080: a screenshot, axe, and everything in one screen.
{
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: "id-ID", bypassCSP: true });
  const page = await context.newPage();
  try {
    const { name, bad } = await audit(page, `/u/${unit}/layar`, 1920);
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], "the display at 1920px");
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height <= 1080, `the display needs no scrolling (${height} px)`);
    passed++;
    console.log(`ok - /u/${unit}/layar at 1920×1080: one screen, no serious or critical axe violation (${name}.png)`);
  } catch (e) {
    failed++;
    console.log(`not ok - /u/${unit}/layar\n${e.message}`);
  }
  await context.close();
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
