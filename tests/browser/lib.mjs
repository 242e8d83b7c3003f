// What the browser tests share: the tally of checks, steps that fail
// alone, TOTP codes as a phone computes them (oathtool), screenshots at
// desktop and phone widths, and the hub's sign-in with a password, the
// enrolment code and a first TOTP code.  Each test imports it and prints
// `${tally.passed} passed, ${tally.failed} failed` at its end.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const tally = { passed: 0, failed: 0, shots: 0 };

// ok(cond, what, detail): one check, printed "ok:" or "FAIL:"; cond back.
export function ok(cond, what, detail = '') {
  if (cond) {
    tally.passed++;
    console.log(`ok: ${what}`);
  } else {
    tally.failed++;
    console.log(`FAIL: ${what}${detail ? `: ${detail}` : ''}`);
  }
  return cond;
}

// step(name, fn): a part of a test; an exception (a timeout waiting for
// something that never showed) fails it, and the next part still runs.
export async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
  } catch (e) {
    tally.failed++;
    console.log(`FAIL: ${name}: ${String(e.message).split('\n')[0]}`);
  }
  console.log(`-- ${name} (${Date.now() - t0} ms)`);
}

// totp(key, offset): the RFC 6238 code of base32 key, offset seconds from now.
export const totp = (key, offset = 0) =>
  execFileSync('oathtool', ['--totp', '-b', key, '-N', `now + ${offset} seconds`]).toString().trim();

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

// shooter(dir): shot(page, name), the page at desktop and at phone width
// into dir/name-desktop.png and dir/name-phone.png, back at desktop after.
export function shooter(dir) {
  return async function shot(page, name) {
    for (const [size, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      await page.setViewportSize(vp);
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(dir, `${name}-${size}.png`), fullPage: true });
      tally.shots++;
    }
    await page.setViewportSize(DESKTOP);
  };
}

// hubSignIn(page, base, login, password, enrolment): a first sign-in at the
// hub's pages: password, the enrolment code, the QR's key read off the
// page, and a TOTP code from it; resolves once the page left the login.
export async function hubSignIn(page, base, login, password, enrolment) {
  await page.goto(`${base}/`);
  await page.waitForSelector('#signin-form');
  await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('#signin-button');
  await page.waitForSelector('#field-enrolment:not([hidden])');
  await page.fill('#enrolment', enrolment);
  await page.click('#signin-button');
  await page.waitForSelector('#enrol-qr');
  const key = (await page.textContent('#enrol-key')).trim();
  await page.fill('#totp', totp(key));
  await page.click('#signin-button');
  await page.waitForFunction(() => !window.location.hash.startsWith('#/login') && window.location.hash !== '');
}
