// People signing in at the hub (issue 17), in Debian's Chromium driven by
// playwright-core, once in Japanese and once in English: enrolment with
// the QR code shown once, sign-in with a password and a TOTP code (from
// oathtool, as a phone would compute it), the dashboard with one API call
// made to fail (only that panel shows the error, in the user's language,
// and Retry loads it), a coordinator's shortlist and comparison, a new tab
// still signed in, Back to the same place in the results, and an account
// locked after five wrong passwords.  Every step is photographed at
// desktop (1280 px) and phone (390 px) widths into $IBX_SHOTS.  Started by
// test_accounts_browser.sh; prints "N passed, M failed", exits 1 on any
// failure.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DESKTOP, ok, shooter, step, tally, totp } from './lib.mjs';

function need(k) {
  const v = process.env[k];
  if (!v) {
    console.error(`accounts.test: ${k} is not set (run through test_accounts_browser.sh)`);
    process.exit(2);
  }
  return v;
}
const BASE = need('IBX_URL');
const SHOTS = need('IBX_SHOTS');
const PASSWORD = need('IBX_PASSWORD');
const ENROL = {
  min: { ja: need('IBX_ENROL_MIN_JA'), en: need('IBX_ENROL_MIN_EN') },
  coord: { ja: need('IBX_ENROL_COORD_JA'), en: need('IBX_ENROL_COORD_EN') },
};
const LOCK_KEY = { ja: need('IBX_LOCK_KEY_JA'), en: need('IBX_LOCK_KEY_EN') };

// What the pages must say, per language.
const SAY = {
  ja: {
    signin: 'ログイン', needEnrol: '初回登録コード', panelFailed: 'この欄を読み込めませんでした', unavailable: 'データベースが一時的に使えません',
    retry: '再読み込み', dashboard: '全国ダッシュボード', compare: '医療機関の比較', locked: 'ロックされています',
    shortlistAdd: '候補に追加', failed: '正しくありません',
  },
  en: {
    signin: 'Sign in', needEnrol: 'enrolment code', panelFailed: 'This panel could not be loaded', unavailable: 'the database is unavailable',
    retry: 'Retry', dashboard: 'National dashboard', compare: 'Compare hospitals', locked: 'locked',
    shortlistAdd: 'Add to shortlist', failed: 'is wrong',
  },
};

const shot = shooter(SHOTS);

const errors = [];
function watch(page, who) {
  page.on('pageerror', (e) => errors.push(`${who}: uncaught ${e.message}`));
  page.on('console', (m) => {
    // Refusals the pages handle: 401 (signed out, wrong password), 403,
    // 404, 429 (locked) and the 503 the test makes.
    if (m.type() === 'error' && !/status of (401|403|404|429|503)/.test(m.text()))
      errors.push(`${who}: console: ${m.text()}`);
  });
}

// signIn(page, lang, login, enrolment): the sign-in form from the start:
// password first, the enrolment code when asked, the QR code (read back
// as its key), then the TOTP code.  Returns the key.
async function enrolAndSignIn(page, lang, login, enrolment, shotName) {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#signin-form');
  ok((await page.textContent('#signin-form h1')) === SAY[lang].signin, `${lang}: the sign-in page in ${lang}`);
  ok(await page.isVisible('#token'), `${lang}: the token option is still there for API clients`);
  if (shotName) await shot(page, `${shotName}-1-signin`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await page.click('#signin-button');
  await page.waitForSelector('#field-enrolment:not([hidden])');
  ok((await page.textContent('#signin-status')).includes(SAY[lang].needEnrol), `${lang}: a first sign-in asks for the enrolment code`);
  await page.fill('#enrolment', enrolment);
  await page.click('#signin-button');
  await page.waitForSelector('#enrol-qr');
  const key = (await page.textContent('#enrol-key')).trim();
  ok(/^[A-Z2-7]{32}$/.test(key), `${lang}: the QR code and its key are shown once`);
  const qr = await page.evaluate(() => {
    const i = document.getElementById('enrol-qr');
    return { w: i.naturalWidth, src: i.src.slice(0, 40) };
  });
  ok(qr.w > 0 && qr.src.startsWith('data:image/svg+xml'), `${lang}: the QR code is drawn (${qr.w} px SVG)`);
  if (shotName) await shot(page, `${shotName}-2-enrol-qr`);
  await page.fill('#totp', totp(key));
  await page.click('#signin-button');
  await page.waitForFunction(() => !window.location.hash.startsWith('#/login') && window.location.hash !== '');
  return key;
}

const watchdog = setTimeout(() => {
  console.log('FAIL: the accounts browser test took more than 240 s');
  console.log(`${tally.passed} passed, ${tally.failed + 1} failed`);
  process.exit(1);
}, 240000);

const t0 = Date.now();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 30000,
});
console.log(`-- Chromium started (${Date.now() - t0} ms)`);

try {
  for (const lang of ['ja', 'en']) {
    const say = SAY[lang];
    // ------------------------------------------------------------ ministry
    const mctx = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB', viewport: DESKTOP });
    mctx.setDefaultTimeout(15000);
    const mpage = await mctx.newPage();
    watch(mpage, `ministry-${lang}`);
    // One API call fails: the statistics by prefecture.
    let failing = true;
    await mpage.route(/\/api\/v1\/statistics\?.*by=prefecture/, (route) => (failing
      ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"database unavailable: try again"}' })
      : route.continue()));

    await step(`${lang}: a ministry user enrols and signs in with password + TOTP`, async () => {
      await enrolAndSignIn(mpage, lang, `min-${lang}`, ENROL.min[lang], `${lang}-ministry`);
      ok(mpage.url().includes('#/dashboard'), `${lang}: the ministry lands on the dashboard`);
      const cookies = await mctx.cookies();
      const sid = cookies.find((c) => c.name === 'ibx_session');
      ok(sid && sid.httpOnly && sid.secure && sid.sameSite === 'Strict' && sid.path === '/',
        `${lang}: the session cookie is HttpOnly, Secure, SameSite=Strict, Path=/`, JSON.stringify(sid));
      ok(await mpage.evaluate(() => !document.cookie.includes('ibx_session')), `${lang}: scripts cannot read the session cookie`);
      ok(await mpage.evaluate(() => sessionStorage.getItem('ibx.session') === null), `${lang}: no token in the tab`);
    });

    await step(`${lang}: the dashboard with one API call failing`, async () => {
      await mpage.waitForFunction(() => [...document.querySelectorAll('.panel[data-panel]')]
        .every((p) => p.dataset.state === 'ready' || p.dataset.state === 'failed'));
      const states = await mpage.evaluate(() => Object.fromEntries([...document.querySelectorAll('.panel[data-panel]')]
        .map((p) => [p.dataset.panel, p.dataset.state])));
      ok(states.prefecture === 'failed', `${lang}: the prefecture panel shows its failure`, JSON.stringify(states));
      const others = Object.entries(states).filter(([k]) => k !== 'prefecture');
      ok(others.length >= 6 && others.every(([, s]) => s === 'ready'), `${lang}: every other panel loaded (${others.length})`, JSON.stringify(states));
      const text = await mpage.textContent('#panel-prefecture');
      ok(text.includes(say.panelFailed) && text.includes(say.unavailable), `${lang}: the error is in the user's language`, text);
      ok(await mpage.isVisible('#panel-prefecture button.retry'), `${lang}: with a Retry button`);
      ok((await mpage.locator('.panel-error').count()) === 1, `${lang}: the error in that panel only`);
      ok(!(await mpage.textContent('main')).includes('Loading') && !(await mpage.textContent('main')).includes('読み込み中'),
        `${lang}: nothing stays "Loading"`);
      const canvases = await mpage.locator('.dash-grid canvas').count();
      ok(canvases >= 3, `${lang}: the other panels' charts are drawn (${canvases})`);
      await shot(mpage, `${lang}-ministry-3-dashboard-one-failed`);
      failing = false;
      await mpage.click('#panel-prefecture button.retry');
      await mpage.waitForFunction(() => document.querySelector('#panel-prefecture')?.dataset.state === 'ready');
      ok((await mpage.locator('#panel-prefecture #table-prefecture').count()) === 1, `${lang}: Retry loads the panel`);
      await shot(mpage, `${lang}-ministry-4-dashboard-retried`);
    });

    await step(`${lang}: a new tab keeps the ministry's session`, async () => {
      const tab = await mctx.newPage();
      watch(tab, `ministry-${lang}-tab`);
      await tab.goto(`${BASE}/#/dashboard`);
      await tab.waitForFunction(() => document.querySelector('.panel[data-panel="kpis"]')?.dataset.state === 'ready');
      ok(tab.url().includes('#/dashboard'), `${lang}: the new tab opens the dashboard signed in`);
      await shot(tab, `${lang}-ministry-5-new-tab`);
      // Sign out in the new tab: the first tab's next call finds no session.
      await tab.click('#logout');
      await tab.waitForSelector('#signin-form');
      ok(!(await mctx.cookies()).some((c) => c.name === 'ibx_session' && c.value), `${lang}: sign-out clears the cookie`);
      await tab.close();
      await mpage.reload();
      await mpage.waitForSelector('#signin-form');
      ok(true, `${lang}: after sign-out the other tab shows the sign-in page`);
      await shot(mpage, `${lang}-ministry-6-signed-out`);
    });
    await mctx.close();

    // --------------------------------------------------------- coordinator
    const cctx = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB', viewport: DESKTOP });
    cctx.setDefaultTimeout(15000);
    const cpage = await cctx.newPage();
    watch(cpage, `coordinator-${lang}`);
    let picked = [];
    await step(`${lang}: a coordinator signs in and shortlists three hospitals`, async () => {
      await enrolAndSignIn(cpage, lang, `coord-${lang}`, ENROL.coord[lang], null);
      await cpage.waitForSelector('.results-area[aria-busy="false"] li.result');
      ok(cpage.url().includes('#/search'), `${lang}: a coordinator lands on the search`);
      const toggles = cpage.locator('li.result button.shortlist-toggle');
      ok((await toggles.count()) >= 3, `${lang}: each result has a shortlist toggle`);
      ok((await toggles.first().textContent()).includes(say.shortlistAdd), `${lang}: labelled in ${lang}`);
      for (const i of [0, 2, 4]) {
        const b = toggles.nth(i);
        picked.push(await b.getAttribute('data-code'));
        await b.click();
        await cpage.waitForFunction((code) => document.querySelector(`button.shortlist-toggle[data-code="${code}"]`)
          ?.getAttribute('aria-pressed') === 'true', picked[picked.length - 1]);
      }
      const held = await cpage.evaluate(async () => (await (await fetch('/api/v1/shortlist')).json()).hospitals.map((x) => x.organisation_code));
      ok(picked.every((c) => held.includes(c)) && held.length === 3, `${lang}: the hub keeps the three`, JSON.stringify(held));
      await shot(cpage, `${lang}-coordinator-1-shortlisted`);
    });

    await step(`${lang}: compare the three side by side`, async () => {
      await cpage.goto(`${BASE}/#/shortlist`);
      await cpage.waitForSelector('li.shortlist-item');
      ok((await cpage.locator('li.shortlist-item').count()) === 3, `${lang}: the shortlist page lists three`);
      for (const c of picked) await cpage.check(`#pick-${c}`);
      await shot(cpage, `${lang}-coordinator-2-shortlist`);
      await cpage.click('#compare-button');
      await cpage.waitForSelector('#compare-table');
      ok((await cpage.textContent('h1')) === say.compare, `${lang}: the comparison page`);
      const cols = await cpage.locator('#compare-table thead th[data-code]').count();
      ok(cols === 3, `${lang}: three hospitals side by side`, `got ${cols}`);
      const rows = await cpage.locator('#compare-table tbody tr').count();
      ok(rows >= 10, `${lang}: fields, prices, languages, experience, response times compared (${rows} rows)`);
      await shot(cpage, `${lang}-coordinator-3-compare`);
    });

    await step(`${lang}: a hospital in a new tab, still signed in`, async () => {
      const tab = await cctx.newPage();
      watch(tab, `coordinator-${lang}-tab`);
      await tab.goto(`${BASE}/#/hospital/${picked[0]}`);
      await tab.waitForSelector('h1.hospital-name');
      ok(tab.url().includes(`#/hospital/${picked[0]}`), `${lang}: the hospital opens in a new tab without signing in again`);
      ok((await tab.getAttribute('button.shortlist-toggle', 'aria-pressed')) === 'true', `${lang}: and shows it shortlisted`);
      await shot(tab, `${lang}-coordinator-4-new-tab`);
      await tab.close();
    });

    await step(`${lang}: Back returns to the same place in the results`, async () => {
      await cpage.goto(`${BASE}/#/search?prefecture=43`);
      await cpage.waitForSelector('.results-area[aria-busy="false"] li.result');
      const cards = cpage.locator('li.result');
      const n = await cards.count();
      const target = cards.nth(Math.min(n - 1, 9));
      const code = await target.getAttribute('data-code');
      await target.scrollIntoViewIfNeeded();
      await cpage.evaluate(() => window.scrollBy(0, 120));
      await cpage.waitForTimeout(300);
      const y = await cpage.evaluate(() => Math.round(window.scrollY));
      await target.locator('a.hospital-link').click();
      await cpage.waitForSelector('h1.hospital-name');
      await cpage.goBack();
      await cpage.waitForSelector(`.results-area[aria-busy="false"] li.result[data-code="${code}"]`);
      await cpage.waitForTimeout(300);
      const y2 = await cpage.evaluate(() => Math.round(window.scrollY));
      ok(y > 200 && Math.abs(y2 - y) < 40, `${lang}: the results scroll back to where they were (${y} -> ${y2} px)`);
      ok(cpage.url().includes('prefecture=43'), `${lang}: with the same search`);
      await shot(cpage, `${lang}-coordinator-5-back`);
    });
    await cctx.close();

    // ----------------------------------------------------------- throttle
    const lctx = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB', viewport: DESKTOP });
    lctx.setDefaultTimeout(15000);
    const lpage = await lctx.newPage();
    watch(lpage, `lock-${lang}`);
    await step(`${lang}: five wrong passwords lock the account`, async () => {
      await lpage.goto(`${BASE}/`);
      await lpage.waitForSelector('#signin-form');
      await lpage.fill('#login', `lock-${lang}`);
      for (let i = 1; i <= 5; i++) {
        await lpage.fill('#password', `wrong-${i}-password`);
        await lpage.fill('#totp', '123456');
        await lpage.evaluate(() => {
          const st = document.getElementById('signin-status');
          st.textContent = '';
          st.className = '';
        });
        await lpage.click('#signin-button');
        await lpage.waitForFunction(() => document.getElementById('signin-status').className === 'error');
      }
      const fifth = await lpage.textContent('#signin-status');
      ok(fifth.includes(say.failed) && fifth.includes(say.locked), `${lang}: the fifth failure says the account is locked`, fifth);
      await shot(lpage, `${lang}-lock-1-five-failures`);
      await lpage.fill('#password', PASSWORD);
      await lpage.fill('#totp', totp(LOCK_KEY[lang]));
      await lpage.evaluate(() => {
        const st = document.getElementById('signin-status');
        st.textContent = '';
        st.className = '';
      });
      await lpage.click('#signin-button');
      await lpage.waitForFunction(() => document.getElementById('signin-status').className === 'error');
      const sixth = await lpage.textContent('#signin-status');
      ok(sixth.includes(say.locked) && /\d/.test(sixth) && lpage.url().includes('#/login'),
        `${lang}: the sixth attempt, right password and code, is refused while locked`, sixth);
      await shot(lpage, `${lang}-lock-2-refused`);
      // The lock (4 s here) passes; then the same right password signs in.
      await lpage.waitForTimeout(4500);
      await lpage.fill('#totp', totp(LOCK_KEY[lang]));
      await lpage.click('#signin-button');
      await lpage.waitForFunction(() => window.location.hash === '#/dashboard');
      ok(true, `${lang}: after the lock the right password and code sign in`);
    });
    await lctx.close();
  }
  ok(tally.shots >= 40, `${tally.shots} screenshots (desktop and phone) in ${SHOTS}`);
  ok(errors.length === 0, 'no script errors and no Content-Security-Policy violations', errors.join(' | '));
} finally {
  await browser.close().catch(() => {});
  clearTimeout(watchdog);
}
console.log(`${tally.passed} passed, ${tally.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s in the browser)`);
process.exit(tally.failed ? 1 : 0);
