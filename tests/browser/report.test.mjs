// The evaluation report as a document: `anketa analyze --format html` on the demo data,
// opened in Chromium in Czech and English. axe-core must find no violation, and the page
// printed to PDF at A4 (what an evaluator sends) is saved with a screenshot in
// target/browser/ for a person to look at.

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { axeViolations, root, shots, start } from "./harness.mjs";

let app;
before(async () => {
  app = await start();
  app.anketa("demo", "all", "--surveys", path.join(root, "surveys"));
});
after(async () => {
  await app?.stop();
});

for (const survey of ["obce-socialni-prace", "skoleni-po"]) {
  for (const lang of ["cs", "en"]) {
    test(`report ${survey} ${lang}`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anketa-report-"));
      app.anketa("analyze", survey, "--surveys", path.join(root, "surveys"), "--plans", path.join(root, "analysis/plans"), "--format", "html", "--lang", lang, "-o", dir);
      const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`file://${path.join(dir, "report.html")}`);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `axe found violations on the ${survey} report (${lang}):\n${JSON.stringify(violations, null, 2)}`);
      const name = `report-${survey}-${lang}`;
      await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
      await page.pdf({ path: path.join(shots, `${name}.pdf`), format: "A4", printBackground: true });
      const pdf = fs.readFileSync(path.join(shots, `${name}.pdf`));
      assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
      // Every page of the print is A4 (595 x 842 points, as Chromium rounds them).
      const boxes = [...pdf.toString("latin1").matchAll(/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)];
      assert.ok(boxes.length > 1, "several pages");
      for (const [, w, h] of boxes) {
        assert.ok(Math.abs(w - 595) < 2 && Math.abs(h - 842) < 2, `page ${w} x ${h}`);
      }
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
}
