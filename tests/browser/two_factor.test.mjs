// Two-factor sign-in in headless Chromium: an admin (whose role requires it) sets a
// password, signs in, scans nothing but reads the key shown under the QR code, types
// the code an authenticator app would show (computed here from the key by RFC 6238,
// with Node's own HMAC-SHA1), keeps the recovery codes, and signs in again with a
// code. axe-core checks each screen; screenshots go to target/browser/.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import path from "node:path";
import { after, before, test } from "node:test";

import { axeViolations, press, shots, start } from "./harness.mjs";

let app;
const PASSWORD = "heslo-s-druhym-faktorem-2026";

before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

/** RFC 4648 base32 to bytes. */
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/[\s=]/g, "").toUpperCase()) {
    const v = alphabet.indexOf(c);
    assert.ok(v >= 0, `base32: ${c}`);
    bits += v.toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The TOTP code (RFC 6238: HMAC-SHA1, 6 digits, 30 s) of `key` at Unix time `t`. */
function totp(key, t) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = crypto.createHmac("sha1", base32(key)).update(counter).digest();
  const offset = mac[19] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 1_000_000).padStart(6, "0");
}

test("totp gives the RFC 6238 test vectors", () => {
  const key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890"
  assert.equal(totp(key, 59), "287082");
  assert.equal(totp(key, 1111111109), "081804");
  assert.equal(totp(key, 2000000000), "279037");
});

async function check(page, state) {
  await page.screenshot({ path: path.join(shots, `two-factor-${state}.png`), fullPage: true });
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe found violations on ${state}:\n${JSON.stringify(violations, null, 2)}`);
}

async function password(page, email) {
  await page.goto(`${app.base}/admin/login`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await press(page, "main button[type=submit]");
}

test("an admin sets up two-factor sign-in and signs in with a code", async () => {
  const email = "spravce@example.cz";
  const out = app.anketa("user", "add", email, "--role", "admin", "--link");
  const link = out.split("\n").find((l) => l.startsWith("http"));
  assert.ok(link, out);
  const context = await app.browser.newContext({ viewport: { width: 360, height: 740 }, locale: "cs-CZ" });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(link);
  await page.fill("#password", PASSWORD);
  await page.fill("#confirm", PASSWORD);
  await press(page, "main button[type=submit]");

  await password(page, email);
  assert.match(page.url(), /\/admin\/two-factor$/, "set up first");
  assert.equal(await page.locator("figure.qr svg").count(), 1, "a QR code");
  await check(page, "1-setup");
  const key = (await page.textContent("code.secret")).trim();
  await page.fill("#code", totp(key, Date.now() / 1000));
  await press(page, "main button[type=submit]");
  assert.equal(await page.locator("ul.recovery-codes li").count(), 10, "ten recovery codes");
  await check(page, "2-recovery-codes");
  await press(page, "main a.button");
  assert.match(page.url(), /\/admin$/);

  // Sign out and in again: password, then a code (of the next step: the current one
  // was used at set-up, and each works once).
  await press(page, "header button.link");
  await password(page, email);
  assert.match(page.url(), /\/admin\/login\/code$/);
  await check(page, "3-code");
  await page.fill("#code", "000000" === totp(key, Date.now() / 1000 + 30) ? "111111" : "000000");
  await press(page, "main button[type=submit]");
  assert.ok((await page.locator(".error-summary").count()) > 0, "a wrong code is explained");
  await check(page, "4-wrong-code");
  await page.fill("#code", totp(key, Date.now() / 1000 + 30));
  await press(page, "main button[type=submit]");
  assert.match(page.url(), /\/admin$/);
  await context.close();
});
