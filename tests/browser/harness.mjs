// Shared by the browser tests: start `anketa serve` on a fresh SQLite database and a
// free port, launch Debian's Chromium, and run axe-core on a page.

import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const here = import.meta.dirname;
export const root = path.resolve(here, "../..");
export const anketaBin = process.env.ANKETA_BIN ?? path.join(root, "target/debug/anketa");
export const shots = path.join(root, "target/browser");
const axeSource = fs.readFileSync(path.join(here, "node_modules/axe-core/axe.min.js"), "utf8");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** A running anketa with the example surveys, and a browser. `stop()` ends both. */
export async function start() {
  fs.mkdirSync(shots, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "anketa-browser-"));
  const database = `sqlite://${dataDir}/browser.db`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(anketaBin, ["serve", "--database", database, "--listen", `127.0.0.1:${port}`, "--insecure-cookies", "--base-url", base, "--surveys", path.join(root, "surveys")], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok((await fetch(`${base}/healthz`)).ok, "anketa serve came up");
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  return {
    base,
    browser,
    /** Run `anketa ARGS` on this database; returns its standard output. */
    anketa: (...args) => execFileSync(anketaBin, [...args, "--database", database], { encoding: "utf8", env: { ...process.env, ANKETA_SURVEYS: path.join(root, "surveys"), ANKETA_BASE_URL: base } }),
    async stop() {
      await browser.close();
      server.kill("SIGTERM");
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Run axe on `page` (a JavaScript-enabled page); returns the violations. */
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  return page.evaluate(() =>
    axe.run(document, { resultTypes: ["violations"] }).then((r) =>
      r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) })),
    ),
  );
}

/** Click a submit button and wait for the page that comes back. */
export async function press(page, selector) {
  const navigated = page.waitForEvent("framenavigated");
  await page.click(selector);
  await navigated;
  await page.waitForLoadState("load");
}
