// The referral channel's pages (issue 15) in Debian's Chromium driven by
// playwright-core, once in Japanese and once in English, against a real
// hub and two real inbound-spoke serve (a coordinator's, a hospital's):
//
//   1. the coordinator's spoke page refuses a form without a hospital and
//      without files (each field's error in the page's language) and an
//      upload over the spoke's maximum (the field named), then sends a
//      referral with two files: a case summary and a real DICOM file;
//   2. the hospital's spoke page lists it, fetches and opens it: every
//      file with its SHA-256, equal to the original's, and a download
//      that is byte-identical;
//   3. it answers: acknowledged, then a quote (a band upside down is
//      refused first, in the page's language);
//   4. the coordinator's hub page shows the referral with status "quote",
//      and its timeline; the coordinator's spoke page shows the quote;
//   5. a second hospital's hub page does not list it.
//
// Every step is photographed at 1280 and 390 px into $IBX_SHOTS.  Started
// by test_referral_browser.sh; prints "N passed, M failed", exits 1 on any
// failure.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DESKTOP, ok, shooter, step, tally, totp } from './lib.mjs';

function need(k) {
  const v = process.env[k];
  if (!v) {
    console.error(`referral.test: ${k} is not set (run through test_referral_browser.sh)`);
    process.exit(2);
  }
  return v;
}
const COORD_PAGE = need('IBX_COORD_PAGE');
const HOSP_PAGE = need('IBX_HOSP_PAGE');
const HUB = need('IBX_HUB');
const SHOTS = need('IBX_SHOTS');
const PASSWORD = need('IBX_PASSWORD');
const DICOM = need('IBX_DICOM');
const WORK = need('IBX_WORK');
const COORD = need('IBX_COORD');
const HOSP_A = need('IBX_HOSP_A');
const TOKEN_COORD = need('IBX_TOKEN_COORD');
const TOKEN_HOSP_B = need('IBX_TOKEN_HOSP_B');
const SECRETS = {
  coord: { ja: need('IBX_SECRET_COORD_JA'), en: need('IBX_SECRET_COORD_EN') },
  hosp: { ja: need('IBX_SECRET_HOSP_JA'), en: need('IBX_SECRET_HOSP_EN') },
};
const SAY = {
  ja: { required: '入力が必要です', tooBig: /「files」：アップロードの上限（64 MB）を超えています/, sent: /紹介 ([0-9a-f]{32}) を送信しました/,
    minOverMax: '下限 1800000 円が上限 1200000 円を上回っています', quote: '見積り', inbox: '紹介の受信箱', hubQuote: '見積り' },
  en: { required: 'is required', tooBig: /"files": the upload is larger than the maximum \(64 MB\)/, sent: /Referral ([0-9a-f]{32}) sent/,
    minOverMax: 'the lower bound 1800000 is above the upper 1200000', quote: 'quote', inbox: 'Referral inbox', hubQuote: 'quote' },
};

const shot = shooter(SHOTS);
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

const watchdog = setTimeout(() => {
  console.log('FAIL: the referral browser test took more than 150 s');
  process.exit(1);
}, 150000);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const errors = [];

// A spoke page signed in as login, in lang, on #referrals; in a browser
// context of its own, since cookies do not tell ports apart (both spokes'
// pages and the hub's are on 127.0.0.1).
async function spokeSignIn(base, login, secret, lang) {
  const sctx = await browser.newContext({ viewport: DESKTOP, locale: lang === 'ja' ? 'ja-JP' : 'en-GB', acceptDownloads: true });
  const page = await sctx.newPage();
  page.on('pageerror', (e) => errors.push(`${login}: uncaught ${e.message}`));
  page.on('console', (m) => {
    // 400, 413 and 422 are the refusals the test asks for; 404 the probe.
    if (m.type() === 'error' && !/status of (400|401|404|413|422)/.test(m.text())) errors.push(`${login}: console: ${m.text()}`);
  });
  await page.goto(`${base}/`);
  await page.waitForSelector('#signin-form');
  await page.selectOption('#lang-select', lang);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await page.fill('#totp', totp(secret));
  await page.click('#signin-button');
  await page.waitForSelector('#nav-referrals');
  await page.click('#nav-referrals');
  await page.waitForSelector('#referrals');
  return page;
}

// A hub page signed in with a bearer token, in lang, on #/referrals; in
// a browser context of its own, since cookies do not tell ports apart
// (the hub's and the spokes' pages are all on 127.0.0.1).
async function hubSignIn(token, lang) {
  const hctx = await browser.newContext({ viewport: DESKTOP, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
  const page = await hctx.newPage();
  page.on('pageerror', (e) => errors.push(`hub: uncaught ${e.message}`));
  await page.goto(`${HUB}/`);
  await page.waitForSelector('#token');
  await page.selectOption('#lang-select', lang);
  await page.fill('#token', token);
  await page.click('form.token-login button[type=submit]');
  await page.waitForFunction(() => !window.location.hash.startsWith('#/login'));
  await page.goto(`${HUB}/#/referrals`);
  await page.waitForSelector('.referrals-area[aria-busy="false"]');
  return page;
}

for (const lang of ['ja', 'en']) {
  const say = SAY[lang];
  const n = (k) => `${lang}-${k}`;
  const summary = path.join(WORK, `summary-${lang}.txt`);
  const originals = { [`summary-${lang}.txt`]: sha256(summary), 'CT_small.dcm': sha256(DICOM) };
  let id = null;
  let coord = null;
  let hosp = null;

  await step(`${lang}: 1 the coordinator's spoke page sends a referral with two files`, async () => {
    coord = await spokeSignIn(COORD_PAGE, `${COORD}-${lang}`, SECRETS.coord[lang], lang);
    await coord.waitForSelector('#send-form');
    await shot(coord, n('1-send-form'));
    // Nothing filled in: each required field says so, in the language.
    await coord.click('#r-send');
    await coord.waitForSelector('#field-to .field-error');
    ok((await coord.textContent('#field-to .field-error')) === say.required, `${lang}: "to" is required, said in ${lang}`,
      await coord.textContent('#field-to .field-error'));
    ok(await coord.locator('#field-nationality .field-error').count() === 1, `${lang}: and the nationality`);
    await shot(coord, n('2-send-errors'));
    await coord.fill('#r-to', HOSP_A);
    await coord.selectOption('#r-purpose', 'second_opinion');
    await coord.selectOption('#r-nationality', 'CN');
    await coord.selectOption('#r-age_band', '50-59');
    await coord.check('#r-languages input[data-lang="zh"]');
    await coord.check('#r-languages input[data-lang="en"]');
    // Over the spoke's maximum (--upload-max 64): refused, the field named.
    await coord.setInputFiles('#r-files', [path.join(WORK, 'too-big.raw')]);
    const [answer] = await Promise.all([coord.waitForResponse((r) => r.url().endsWith('/api/referrals/send')), coord.click('#r-send')]);
    ok(answer.status() === 413, `${lang}: 413 for an upload over the maximum`, String(answer.status()));
    await coord.waitForSelector('#field-files .field-error');
    const big = await coord.textContent('#field-files .field-error');
    ok(say.tooBig.test(big), `${lang}: an upload over the maximum is refused, naming the field, in ${lang}`, big);
    await coord.setInputFiles('#r-files', [summary, DICOM]);
    await coord.click('#r-send');
    await coord.waitForSelector('#send-done', { timeout: 30000 });
    const done = await coord.textContent('#send-done');
    id = say.sent.exec(done)?.[1] || null;
    ok(id !== null, `${lang}: the page says the referral is sent, with its id`, done);
    ok(await coord.locator(`#sent tr[data-referral="${id}"]`).count() === 1, `${lang}: it is in the sent list`);
    await shot(coord, n('3-sent'));
  });

  await step(`${lang}: 2 the hospital's spoke page fetches and opens it; every SHA-256 equals the original's`, async () => {
    hosp = await spokeSignIn(HOSP_PAGE, `${HOSP_A}-${lang}`, SECRETS.hosp[lang], lang);
    ok((await hosp.textContent('#referrals h1')) === say.inbox, `${lang}: the inbox, in ${lang}`);
    const card = `li.referral[data-referral="${id}"]`;
    await hosp.waitForSelector(card);
    await shot(hosp, n('4-inbox'));
    await hosp.click(`${card} button.fetch`);
    await hosp.waitForSelector(`${card} table.files`, { timeout: 30000 });
    const rows = await hosp.$$eval(`${card} table.files tr[data-name]`, (trs) => trs.map((tr) => [tr.dataset.name, tr.querySelector('.sha256').textContent.replace(/^✔\s*/, '')]));
    ok(rows.length === 2, `${lang}: two files opened`, JSON.stringify(rows));
    for (const [name, sum] of rows)
      ok(originals[name] === sum, `${lang}: ${name}: the SHA-256 on the page equals the original's`, `${sum} vs ${originals[name]}`);
    await hosp.locator(card).scrollIntoViewIfNeeded();
    await shot(hosp, n('5-opened'));
    const [dl] = await Promise.all([hosp.waitForEvent('download'), hosp.click(`${card} tr[data-name="CT_small.dcm"] a.download`)]);
    const saved = path.join(WORK, `download-${lang}.dcm`);
    await dl.saveAs(saved);
    ok(dl.suggestedFilename() === 'CT_small.dcm' && sha256(saved) === originals['CT_small.dcm'],
      `${lang}: the DICOM file downloads byte-identical, as an attachment`, dl.suggestedFilename());
    // Nothing but a verified file's name is served.
    const probe = await hosp.evaluate(async (rid) => (await fetch(`/api/referrals/file?id=${rid}&name=${encodeURIComponent('../../accounts.json')}`)).status, id);
    ok(probe === 404, `${lang}: a path out of the folder is refused`, String(probe));
  });

  await step(`${lang}: 3 the hospital answers: acknowledged, then a quote`, async () => {
    const form = `form.answer-form[data-referral="${id}"]`;
    await hosp.selectOption(`${form} select[name=status]`, 'acknowledged');
    await hosp.click(`${form} button[type=submit]`);
    await hosp.waitForSelector(`li.referral[data-referral="${id}"][data-state="acknowledged"]`, { timeout: 30000 });
    ok(true, `${lang}: acknowledged`);
    await hosp.selectOption(`${form} select[name=status]`, 'quote');
    await hosp.fill(`${form} input[name=price_min]`, '1800000');
    await hosp.fill(`${form} input[name=price_max]`, '1200000');
    await hosp.fill(`${form} input[name=earliest]`, '2027-03-01');
    await hosp.click(`${form} button[type=submit]`);
    await hosp.waitForSelector(`${form} #field-price_max .field-error`);
    const err = await hosp.textContent(`${form} #field-price_max .field-error`);
    ok(err === say.minOverMax, `${lang}: a band upside down is refused at the field, in ${lang}`, err);
    await hosp.locator(form).scrollIntoViewIfNeeded();
    await shot(hosp, n('6-quote-error'));
    await hosp.fill(`${form} input[name=price_min]`, '1200000');
    await hosp.fill(`${form} input[name=price_max]`, '1800000');
    await hosp.click(`${form} button[type=submit]`);
    await hosp.waitForSelector(`li.referral[data-referral="${id}"][data-state="quote"]`, { timeout: 30000 });
    ok(true, `${lang}: the quote is sent`);
    await hosp.locator(`li.referral[data-referral="${id}"]`).scrollIntoViewIfNeeded();
    await shot(hosp, n('7-quoted'));
  });

  await step(`${lang}: 4 the coordinator's hub page shows status "quote"; its spoke page too`, async () => {
    const hub = await hubSignIn(TOKEN_COORD, lang);
    const row = `#table-referrals tr[data-referral="${id}"]`;
    await hub.waitForSelector(row);
    ok((await hub.getAttribute(row, 'data-state')) === 'quote', `${lang}: the hub lists the referral as quote`);
    ok((await hub.textContent(`${row} td.state`)) === say.hubQuote, `${lang}: said in ${lang}`, await hub.textContent(`${row} td.state`));
    await shot(hub, n('8-hub-sent'));
    await hub.click(`${row} a.referral-link`);
    await hub.waitForSelector('#referral-timeline li[data-state="quote"]');
    const states = await hub.$$eval('#referral-timeline li', (lis) => lis.map((li) => li.dataset.state).join(','));
    ok(states === 'sent,delivered,acknowledged,quote', `${lang}: the timeline, each step with who and when`, states);
    await shot(hub, n('9-hub-detail'));
    await hub.context().close();
    // The view drawn again (from the listing view): the statuses as the
    // hub's inbox now holds them.
    await coord.click('#nav-listing');
    await coord.waitForSelector('#referrals', { state: 'detached', timeout: 10000 });
    await coord.click('#nav-referrals');
    await coord.waitForSelector('#sent-area', { timeout: 10000 });
    const state = await coord.getAttribute(`#sent tr[data-referral="${id}"]`, 'data-state');
    ok(state === 'quote', `${lang}: the coordinator's spoke page shows the quote`,
      `${state}; ${await coord.textContent('#referrals')}`.slice(0, 600));
    await shot(coord, n('10-spoke-sent-quote'));
  });

  await step(`${lang}: 5 a second hospital's hub page does not list it`, async () => {
    const hub = await hubSignIn(TOKEN_HOSP_B, lang);
    ok(await hub.locator(`tr[data-referral="${id}"]`).count() === 0, `${lang}: hospital B's inbox does not list it`);
    ok(await hub.locator('#referrals-none').count() === 1, `${lang}: hospital B sees none`);
    await shot(hub, n('11-hub-other-hospital'));
    await hub.goto(`${HUB}/#/referrals/${id}`);
    await hub.waitForSelector('.referral-area[aria-busy="false"]');
    ok(await hub.locator('#referral-timeline').count() === 0, `${lang}: nor shows it by its id`);
    await hub.context().close();
  });
  await coord?.context().close();
  await hosp?.context().close();
}

await browser.close();
clearTimeout(watchdog);
for (const e of errors) ok(false, e);
console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.shots} screenshots`);
process.exit(tally.failed === 0 ? 0 : 1);
