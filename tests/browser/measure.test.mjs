// The referral channel's measurement on the hub's pages (issue 15), in
// Japanese and English: a hospital's response times on its page (and too
// few referrals said so), the response-time factor in a search result's
// score breakdown, and the ministry's dashboard panel of referrals from
// the protected release.  Started by test_measure_browser.sh; prints
// "N passed, M failed" and exits 1 on any failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ok, shooter, step, tally } from './lib.mjs';

const env = (k) => {
  if (process.env[k] === undefined) {
    console.error(`measure.test: ${k} is not set (run through test_measure_browser.sh)`);
    process.exit(2);
  }
  return process.env[k];
};
const BASE = env('IBX_URL');
const A = env('IBX_HOSPITAL_A');
const B = env('IBX_HOSPITAL_B');
const MONTH = env('IBX_MONTH');
const TOKENS = { ministry: env('IBX_TOKEN_MINISTRY'), coordinator: env('IBX_TOKEN_COORDINATOR') };
const shot = shooter(env('IBX_SHOTS'));

const watchdog = setTimeout(() => {
  console.log('FAIL: the measurement browser test took more than 100 s');
  process.exit(1);
}, 100000);

async function signIn(page, role) {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#token');
  await page.fill('#token', TOKENS[role]);
  await page.click('form.login button[type=submit]');
  await page.waitForFunction(() => !window.location.hash.startsWith('#/login'));
}

async function lang(page, l) {
  await page.selectOption('#lang-select', l);
  await page.waitForFunction((x) => document.documentElement.lang === x, l);
}

const profile = mkdtempSync(path.join(tmpdir(), 'ibx-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  locale: 'en-GB',
  viewport: { width: 1280, height: 900 },
  timeout: 30000,
});
context.setDefaultTimeout(10000);
try {
  const page = context.pages()[0] || (await context.newPage());
  await step('a hospital\'s response times', async () => {
    await signIn(page, 'coordinator');
    await page.goto(`${BASE}/#/hospital/${A}`);
    await page.waitForSelector('#referral-response');
    let text = await page.textContent('#referral-response');
    ok(text.includes('Response to referrals (last 90 days)'), 'the section, in English', text);
    ok(/median 18 h \(6 referrals\)/.test(text), 'median 18 h to the first answer, over 6 referrals', text);
    ok(/median 40 h \(5 referrals\)/.test(text), 'median 40 h to the second opinion, over 5', text);
    ok(text.includes('could single out one case'), 'why a median needs 5 referrals');
    await shot(page, 'hospital-en');
    await lang(page, 'ja');
    text = await page.textContent('#referral-response');
    ok(text.includes('紹介への回答時間（過去90日）') && text.includes('中央値18時間（6件）'), 'in Japanese', text);
    await shot(page, 'hospital-ja');
    await page.goto(`${BASE}/#/hospital/${B}`);
    await page.waitForSelector('#referral-response');
    text = await page.textContent('#referral-response');
    ok(text.includes('2件（5件未満のため表示しません）'), 'too few referrals: the count, no median (ja)', text);
    await lang(page, 'en');
    text = await page.textContent('#referral-response');
    ok(text.includes('2 referrals (fewer than 5: not shown)'), 'too few referrals: the count, no median (en)', text);
    await shot(page, 'hospital-few-en');
  });
  await step('the response-time factor in search', async () => {
    await page.goto(`${BASE}/#/search?language=zh`);
    await page.waitForSelector('.results-area[aria-busy="false"] li.result');
    const first = page.locator(`li.result[data-code="${A}"] details.breakdown`);
    await first.locator('summary').click();
    let text = await first.textContent();
    ok(text.includes('Response time') && text.includes('answers referrals in a median of 18 h (6 referrals, last 90 days)'),
      'the breakdown has the factor and its reason', text);
    await shot(page, 'search-en');
    await lang(page, 'ja');
    await page.waitForSelector('.results-area[aria-busy="false"] li.result');
    const ja = page.locator(`li.result[data-code="${A}"] details.breakdown`);
    await ja.locator('summary').click();
    text = await ja.textContent();
    ok(text.includes('紹介への回答の速さ') && text.includes('紹介への最初の回答まで中央値18時間（過去90日、6件）'),
      'in Japanese', text);
    await shot(page, 'search-ja');
    await lang(page, 'en');
  });
  await step('the ministry\'s referral panel', async () => {
    await page.evaluate(() => sessionStorage.clear());
    await signIn(page, 'ministry');
    await page.goto(`${BASE}/#/dashboard`);
    await page.waitForSelector('#panel-referrals[data-state="ready"]', { timeout: 20000 });
    let text = await page.textContent('#panel-referrals');
    ok(text.includes('Referrals by month') && text.includes(MONTH), `the month ${MONTH} is listed`, text);
    ok(text.includes('at most 3 referrals per referrer, nationality and age band'), 'the bound is stated');
    const cells = await page.locator('#table-referrals-month tbody td:nth-child(2)').allTextContents();
    ok(cells.length > 0 && cells.every((c) => c.trim() === 'under 10' || Number(c.replace(/[^0-9]/g, '')) >= 10),
      'every monthly figure is 10 or more, or "under 10"', JSON.stringify(cells));
    await shot(page, 'dashboard-en');
    await page.locator('section[data-panel="referrals"]').screenshot({ path: path.join(env('IBX_SHOTS'), 'referrals-panel-en.png') });
    await lang(page, 'ja');
    await page.waitForSelector('#panel-referrals[data-state="ready"]', { timeout: 20000 });
    text = await page.textContent('#panel-referrals');
    ok(text.includes('月別の紹介件数') && text.includes('紹介元・国籍・年齢階級ごとに月3件まで'), 'the panel in Japanese', text);
    await shot(page, 'dashboard-ja');
  });
} finally {
  clearTimeout(watchdog);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);
