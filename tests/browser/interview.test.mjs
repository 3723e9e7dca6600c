// An interviewer runs a mayor interview on a tablet-sized screen in headless Chromium:
// signs in, starts from the assigned guide, records consent, ticks probes and writes
// notes, closes the browser half-way (a new browser context: no cookies, no page state),
// signs in again and finds everything, then finishes. With JavaScript on, the notes are
// saved by the autosave script alone (no button pressed before closing); with it off,
// by the buttons. axe-core checks every screen (with JavaScript on; the HTML is the same).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { axeViolations, press, shots, start } from "./harness.mjs";

let app;
const PASSWORD = "tablet-interview-password";

before(async () => {
  app = await start();
});

after(async () => {
  await app?.stop();
});

async function check(page, run, state) {
  await page.screenshot({ path: path.join(shots, `interview-${run.name}-${state}.png`), fullPage: true });
  if (run.js) {
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `axe found violations on interview ${run.name} ${state}:\n${JSON.stringify(violations, null, 2)}`);
  }
}

async function signIn(page, email) {
  await page.goto(`${app.base}/admin/login`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await press(page, "main button[type=submit]");
  assert.match(page.url(), /\/admin$/);
}

async function run(run) {
  const email = `tazatel-${run.name}@example.cz`;
  const out = app.anketa("user", "add", email, "--role", "interviewer", "--grant", "rozhovor-starosta", "--link");
  const link = out.split("\n").find((l) => l.startsWith("http"));
  assert.ok(link, out);
  const options = { viewport: run.viewport, javaScriptEnabled: run.js, locale: "cs-CZ", hasTouch: true };

  // The first session: set the password, sign in, start, consent, the first topic.
  let context = await app.browser.newContext(options);
  let page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(link);
  await page.fill("#password", PASSWORD);
  await page.fill("#confirm", PASSWORD);
  await press(page, "main button[type=submit]");
  await signIn(page, email);
  await page.goto(`${app.base}/admin/interviews`);
  await check(page, run, "1-list");
  await page.selectOption("#guide", "rozhovor-starosta");
  await press(page, "main button.primary");
  await check(page, run, "2-consent");
  await page.selectOption("#category", { index: 1 });
  await page.selectOption("#organisation", { index: 1 });
  await press(page, "main button.primary");
  assert.ok((await page.locator(".error-summary li").count()) > 0, "no topic opens without consent");
  await page.check("#consent-yes");
  await press(page, "main button.primary");
  assert.match(page.url(), /\/t\/[a-z_]+$/, "the first topic");
  const firstTopic = page.url();
  await check(page, run, "3-topic");
  const probe = await page.locator('input[name="probe"]').first().getAttribute("value");
  await page.check(`input[name="probe"][value="${probe}"]`);
  const notes = `Poznámky ${run.name}: dvě sociální pracovnice, spolupráce s ORP.`;
  await page.fill("#notes", notes);
  if (run.js) {
    // Nothing pressed: the autosave script saves and says so.
    await page.waitForFunction(() => document.getElementById("autosave-status").textContent.startsWith("Saved")).catch(async (e) => {
      throw new Error(`autosave: ${await page.textContent("#autosave-status")} ${e}`);
    });
  } else {
    await press(page, 'button[value="@next"]');
    assert.notEqual(page.url(), firstTopic, "moved to the next topic");
  }
  // The lid closes.
  await context.close();

  context = await app.browser.newContext(options);
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  await signIn(page, email);
  await page.goto(`${app.base}/admin/interviews`);
  await press(page, "tbody a");
  await page.goto(firstTopic);
  assert.equal(await page.inputValue("#notes"), notes, "the notes survived");
  assert.equal(await page.isChecked(`input[name="probe"][value="${probe}"]`), true, "and the probe");
  await press(page, 'button[value="@summary"]');
  assert.match(page.url(), /\/summary$/);
  await check(page, run, "4-summary");
  await press(page, "main form button.primary");
  assert.match(page.url(), /\/admin\/interviews$/);
  assert.match(await page.textContent("tbody"), /finished/);
  await context.close();
}

const runs = [
  { name: "1024x768-js-on", viewport: { width: 1024, height: 768 }, js: true },
  { name: "768x1024-js-off", viewport: { width: 768, height: 1024 }, js: false },
];
for (const r of runs) {
  test(`interview ${r.name}`, () => run(r));
}
