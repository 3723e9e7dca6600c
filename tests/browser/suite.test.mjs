// anketa in headless Chromium. For every example survey, at 360x740 and 1280x800, with
// JavaScript on and off (and once in dark mode): open it, send the first page empty to get
// the error summary, fill every page, check the review, submit. On each state (first page,
// errors, review, thank-you) axe-core must find no violation, and a screenshot is saved to
// target/browser/.
//
// JavaScript off is real: the context has JavaScript disabled. axe itself needs JavaScript,
// so for those states it checks an identical copy of the page (its HTML, served at the same
// URL to a JavaScript-enabled page that never loads our script).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { axeViolations, press, shots, start } from "./harness.mjs";
import { plans } from "./plans.mjs";

let app;
let base;
let browser;

before(async () => {
  app = await start();
  ({ base, browser } = app);
});

after(async () => {
  await app?.stop();
});

/** Screenshot the state, and check it with axe (on a copy when JavaScript is off). */
async function checkState(page, run, state) {
  await page.screenshot({ path: path.join(shots, `${run.name}-${state}.png`), fullPage: true });
  let violations;
  if (run.js) {
    violations = await axeViolations(page);
  } else {
    const context = await browser.newContext({ viewport: run.viewport, colorScheme: run.scheme });
    const copy = await context.newPage();
    await copy.route("**/static/app.js*", (r) => r.abort());
    const html = await page.content();
    await copy.route(page.url(), (r) => r.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await copy.goto(page.url());
    violations = await axeViolations(copy);
    await context.close();
  }
  assert.deepEqual(violations, [], `axe found violations on ${run.name} ${state}:\n${JSON.stringify(violations, null, 2)}`);
}

async function act(page, [kind, name, value]) {
  const field = `[name="${name}"]`;
  switch (kind) {
    case "radio":
    case "check":
      return page.check(`input${field}[value="${value}"]`);
    case "text":
      return page.fill(field, value);
    case "select":
      return page.selectOption(`select${field}`, value);
  }
  throw new Error(`unknown action ${kind}`);
}

async function drive(plan, run) {
  const context = await browser.newContext({ viewport: run.viewport, javaScriptEnabled: run.js, colorScheme: run.scheme, locale: "cs-CZ" });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  try {
    await page.goto(`${base}/s/${plan.survey}`);
    assert.match(page.url(), new RegExp(`/s/${plan.survey}/p/${plan.pages[0].id}$`));
    if (plan.firstHeading) assert.equal(await page.textContent("h1"), plan.firstHeading);
    if (run.js && plan.conditional) {
      assert.equal(await page.isHidden(plan.conditional.hiddenAtStart), true, "the conditional question is hidden until it applies");
      await act(page, plan.conditional.revealedBy);
      assert.equal(await page.isVisible(plan.conditional.hiddenAtStart), true, "and appears as soon as it applies");
    }
    if (!run.js) {
      assert.equal(await page.locator(".counter").count(), 0, "no script ran");
    }
    if (run.js && plan.survey === "cinnosti-socialni-prace") {
      // A hidden question counts as unanswered: "no field work" reveals the reasons, but
      // once the office type hides the field-work question, the reasons go too.
      await act(page, ["radio", "office_type", "orp"]);
      await act(page, ["radio", "field_work", "0"]);
      assert.equal(await page.isVisible("#q-no_field_reasons-group"), true);
      await act(page, ["radio", "office_type", "kraj"]);
      assert.equal(await page.isHidden("#q-field_work-group"), true);
      assert.equal(await page.isHidden("#q-no_field_reasons-group"), true, "depends on a hidden question: hidden too");
      await page.goto(page.url());
    }
    await checkState(page, run, "1-first");

    await press(page, 'button[value="next"]');
    assert.match(page.url(), new RegExp(`/p/${plan.pages[0].id}$`), "an empty first page is not accepted");
    assert.ok((await page.locator(".error-summary li").count()) > 0, "the error summary lists the problems");
    await checkState(page, run, "2-errors");

    let ratings = 0;
    for (const p of plan.pages) {
      assert.match(page.url(), new RegExp(`/p/${p.id}$`), `expected page ${p.id}`);
      // A rating of up to eleven points is one row, even on a 360 px phone.
      const rows = await page.$$eval(".options.rating.one-row", (groups) =>
        groups
          .filter((g) => g.offsetParent !== null)
          .map((g) => new Set(Array.from(g.querySelectorAll(".opt"), (o) => Math.round(o.getBoundingClientRect().top))).size),
      );
      assert.ok(rows.every((n) => n === 1), `page ${p.id}: a rating wraps (${rows})`);
      ratings += rows.length;
      for (const action of p.do) await act(page, action);
      if (p.runningTotal && run.js) {
        assert.equal(await page.textContent(".points-total"), p.runningTotal, "the running total follows the boxes");
      } else if (p.runningTotal) {
        assert.equal(await page.isHidden(".points-total"), true, "no running total without the script");
      }
      if (run.js) {
        const counters = await page.locator("textarea").count();
        assert.equal(await page.locator(".counter").count() >= counters, true, "long text boxes have a live counter");
      }
      await press(page, 'button[value="next"]');
      const errors = await page.locator(".error-summary li").allTextContents();
      assert.deepEqual(errors, [], `page ${p.id} was accepted`);
    }
    if (plan.survey === "seminar-mas-2024") assert.ok(ratings > 0, "the 0-10 rating was checked");
    if (plan.review) {
      assert.match(page.url(), /\/review$/);
      await checkState(page, run, "3-review");
      await press(page, 'button[value="submit"]');
    }
    assert.match(page.url(), /\/done$/);
    assert.equal(await page.textContent("h1"), "Děkujeme za vyplnění");
    await checkState(page, run, "4-done");
  } finally {
    await context.close();
  }
}

const viewports = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
];
const runs = [];
for (const plan of plans) {
  for (const viewport of viewports) {
    for (const js of [true, false]) {
      runs.push({ plan, run: { viewport, js, scheme: "light", name: `${plan.survey}-${viewport.width}x${viewport.height}-js-${js ? "on" : "off"}` } });
    }
  }
  const dark = { width: 360, height: 740 };
  runs.push({ plan, run: { viewport: dark, js: true, scheme: "dark", name: `${plan.survey}-360x740-js-on-dark` } });
}

// The check itself must be able to fail: a page with an unlabelled input and unreadable
// text gives violations.
test("axe reports violations on a broken page", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(`${base}/broken`, (r) =>
    r.fulfill({ contentType: "text/html", body: '<!doctype html><html><body><main><input type="text"><p style="color:#eee;background:#fff">faint</p></main></body></html>' }),
  );
  await page.goto(`${base}/broken`);
  const ids = (await axeViolations(page)).map((v) => v.id).sort();
  await context.close();
  assert.ok(ids.includes("label") && ids.includes("color-contrast") && ids.includes("html-has-lang"), ids.join(", "));
});

for (const { plan, run } of runs) {
  test(run.name, () => drive(plan, run));
}
