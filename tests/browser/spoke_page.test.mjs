// The hospital's own page (issue 17, "What it must show" 1 to 4) in
// Debian's Chromium driven by playwright-core, against a real
// inbound-spoke serve and a real hub, once in Japanese and once in
// English: sign in with a password and a TOTP code (computed here from
// the enrolment secret with oathtool, as a phone would); change the
// listing's languages and a price, see the field error and correct it,
// publish, and find the new version in the hub's search within seconds;
// upload a month's export with two bad rows, see their line and column,
// upload the fixed file, check the cells that would leave, send it, and
// find the submission at the hub; (in Japanese) a Shift_JIS export with
// the system's words 男/女/中国, converted and read through the value map
// the page builds; the status lists both.  Every step is
// photographed at desktop (1280 px) and phone (390 px) widths into
// $IBX_SHOTS.  Started by test_spoke_page_browser.sh; prints "N passed, M
// failed", exits 1 on any failure.
import { chromium } from 'playwright-core';
import { DESKTOP, hubSignIn, ok, shooter, step, tally, totp } from './lib.mjs';

function need(k) {
  const v = process.env[k];
  if (!v) {
    console.error(`spoke_page.test: ${k} is not set (run through test_spoke_page_browser.sh)`);
    process.exit(2);
  }
  return v;
}
const PAGE = need('IBX_PAGE');
const HUB = need('IBX_HUB');
const TOKEN = need('IBX_TOKEN');
const HOSPITAL_TOKEN = need('IBX_HOSPITAL_TOKEN');
const CODE = need('IBX_CODE');
const SHOTS = need('IBX_SHOTS');
const PASSWORD = need('IBX_PASSWORD');
const RUNS = {
  ja: { login: 'kokusai-ja', secret: need('IBX_SECRET_JA'), language: 'ko', price: 950000, period: need('IBX_PERIOD_JA'),
    bad: need('IBX_BAD_JA'), good: need('IBX_GOOD_JA') },
  en: { login: 'kokusai-en', secret: need('IBX_SECRET_EN'), language: 'vi', price: 990000, period: need('IBX_PERIOD_EN'),
    bad: need('IBX_BAD_EN'), good: need('IBX_GOOD_EN') },
};
const SAY = {
  ja: { signin: 'ログイン', listing: '掲載情報の編集', problems: '件の問題', published: '署名して送信キュー', sent: '報告を送信キュー', report: '月次報告', status: '送信状況',
    priceError: /^price_bands\[0\]: 下限 350000 円が上限 100 円を上回っています$/,
    rowErrors: [/^"XX" はISO 3166-1の2文字または3文字の国コードではありません/, /^"x" は使えない値です（male, female or unknown/] },
  en: { signin: 'Sign in', listing: 'Edit the listing', problems: 'problems', published: 'Signed and queued', sent: 'The report is queued', report: 'Monthly report', status: 'Status',
    priceError: /^price_bands\[0\]: min_jpy 350000 is greater than max_jpy 100$/,
    rowErrors: [/^"XX" is not an ISO 3166-1 alpha-2/, /^"x" is not male, female or unknown/] },
};

const shot = shooter(SHOTS);

async function hub(p, token = TOKEN) {
  const r = await fetch(`${HUB}${p}`, { headers: { Authorization: `Bearer ${token}` } });
  return r.json();
}

// Poll fn until it returns true, at most ms; the time it took, or -1.
async function until(fn, ms = 15000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await fn()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  return -1;
}

const watchdog = setTimeout(() => {
  console.log('FAIL: the spoke page browser test took more than 240 s');
  process.exit(1);
}, 240000);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const errors = [];

for (const lang of ['ja', 'en']) {
  const run = RUNS[lang];
  const say = SAY[lang];
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${lang}: uncaught ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|422)/.test(m.text())) errors.push(`${lang}: console: ${m.text()}`);
  });
  const n = (k) => `${lang}-${k}`;

  await step(`${lang}: 1 sign in with a password and a TOTP code`, async () => {
    await page.goto(`${PAGE}/`);
    await page.waitForSelector('#signin-form');
    await page.selectOption('#lang-select', lang);
    await page.waitForFunction((s) => document.querySelector('#signin-form h1')?.textContent === s, say.signin);
    ok(true, `${lang}: the sign-in page in ${lang}`);
    await shot(page, n('1-signin'));
    await page.fill('#login', run.login);
    await page.fill('#password', PASSWORD);
    await page.fill('#totp', totp(run.secret));
    await page.click('#signin-button');
    await page.waitForSelector('#listing-form');
    ok((await page.textContent('#listing-form h1')) === say.listing, `${lang}: signed in, the listing form in ${lang}`);
    ok((await page.textContent('#who')).includes(CODE), `${lang}: the header names the organisation`);
    await shot(page, n('2-listing'));
  });

  await step(`${lang}: 2 change languages and a price; a field error, corrected; publish`, async () => {
    await page.check(`#f-languages input[data-code="${run.language}"]`);
    await page.fill('#band-0-max_jpy', '100');
    await page.click('#check');
    await page.waitForSelector('#f-price_bands-0 .field-error');
    const err = await page.textContent('#f-price_bands-0 .field-error');
    ok(say.priceError.test(err), `${lang}: the error is next to the price band, in ${lang}`, err);
    if (lang === 'ja') ok(!/is greater than/.test(err), 'ja: no English left in the field error', err);
    ok((await page.textContent('#listing-status')).includes(say.problems), `${lang}: the page says there are problems`);
    await page.locator('#f-price_bands-0').scrollIntoViewIfNeeded();
    await shot(page, n('3-field-error'));
    await page.fill('#band-0-max_jpy', String(run.price));
    await page.click('#check');
    await page.waitForSelector('#listing-status.ok');
    ok(await page.locator('.field-error').count() === 0, `${lang}: corrected, no error left`);
    const changed = await page.$$eval('#diff tr[data-field]', (rows) => rows.map((r) => r.dataset.field).sort().join(','));
    ok(changed === 'languages,price_bands', `${lang}: the preview shows what changes against the published version`, changed);
    await page.locator('#changes').scrollIntoViewIfNeeded();
    await shot(page, n('4-preview'));
    await page.click('#publish');
    await page.waitForFunction((s) => document.querySelector('#listing-status.ok')?.textContent.includes(s), say.published);
    ok((await page.textContent('#listing-status')).includes(say.published), `${lang}: published: signed and queued`);
    await shot(page, n('5-published'));
  });

  await step(`${lang}: 3 the new version is in the hub's search within seconds`, async () => {
    const ms = await until(async () => {
      const s = await hub(`/api/v1/hospitals?language=${run.language}`);
      if (s.total !== 1) return false;
      const d = await hub(`/api/v1/hospitals/${CODE}`);
      return d.listing?.price_bands?.[0]?.max_jpy === run.price;
    });
    ok(ms >= 0 && ms < 10000, `${lang}: the hub's search finds language ${run.language} and the new price`, `${ms} ms`);
    console.log(`${lang}: published to searchable in ${ms} ms`);
    // The page follows the agent: waiting for the hub, then the hub's version.
    const acked = await page.waitForSelector('#pub-state[data-state="acknowledged"]', { state: 'attached', timeout: 10000 }).then(() => true, () => false);
    ok(acked, `${lang}: the page shows the version the hub acknowledged`);
    const same = await page.waitForSelector('#no-changes', { timeout: 10000 }).then(() => true, () => false);
    ok(same, `${lang}: no change left against the hub's version`);
  });

  await step(`${lang}: 4 a month's export with two bad rows, fixed, previewed, sent`, async () => {
    await page.click('#nav-report');
    await page.waitForSelector('#report');
    ok((await page.textContent('#report h1')) === say.report, `${lang}: the report page in ${lang}`);
    await page.selectOption('#period', run.period);
    await page.setInputFiles('#file', run.bad);
    await page.waitForSelector('#row-errors');
    const errs = await page.$$eval('#row-errors tbody tr', (rows) => rows.map((r) => `${r.dataset.line}:${r.dataset.column}`).join(' '));
    ok(errs === '4:nationality 5:sex', `${lang}: the two bad rows with line and column`, errs);
    const texts = await page.$$eval('#row-errors tbody tr td:last-child', (tds) => tds.map((td) => td.textContent));
    ok(say.rowErrors.every((re, i) => re.test(texts[i] || '')), `${lang}: the rows' reasons in ${lang}`, texts.join(' | '));
    ok(await page.isDisabled('#send'), `${lang}: a file with bad rows cannot be sent`);
    await shot(page, n('6-report-errors'));
    await page.setInputFiles('#file', run.good);
    await page.waitForFunction(() => !document.querySelector('#row-errors') && document.querySelector('#cells'));
    const cells = await page.locator('#cells tbody tr').count();
    ok(cells === 4, `${lang}: the preview shows the 4 cells that would leave`, String(cells));
    ok(await page.locator('#row-errors').count() === 0, `${lang}: the fixed file has no errors`);
    await shot(page, n('7-report-preview'));
    const t0 = new Date(Date.now() - 1000).toISOString();
    await page.click('#send');
    await page.waitForFunction((s) => document.querySelector('#report-status.ok')?.textContent.includes(s), say.sent);
    ok((await page.textContent('#report-status')).includes(say.sent), `${lang}: sent: queued`);
    await shot(page, n('8-report-sent'));
    const ms = await until(async () => {
      const s = await hub(`/api/v1/submissions?hospital=${CODE}`, HOSPITAL_TOKEN);
      return (s.submissions || []).some((x) => x.period === run.period && x.superseded_at === null && x.cells === 4 && x.received_at >= t0);
    });
    ok(ms >= 0, `${lang}: the hub shows the submission for ${run.period} (4 cells)`, `${ms} ms`);
  });

  if (lang === 'ja') await step('ja: a Shift_JIS export with the system\'s words, converted and mapped', async () => {
    await page.setInputFiles('#file', need('IBX_SJIS_JA'));
    await page.waitForSelector('#sjis');
    ok((await page.textContent('#sjis pre')).includes('patient_ref'), 'ja: Shift_JIS recognised, its first lines shown converted');
    await shot(page, 'ja-8b-sjis');
    await page.click('#convert');
    await page.waitForSelector('#map-helper');
    const words = await page.$$eval('.map-choice', (s) => s.map((x) => `${x.dataset.column}:${x.dataset.theirs}`).sort().join(' '));
    ok(words === 'nationality:中国 sex:女 sex:男', 'ja: the words no rule accepts are offered for the map', words);
    await page.selectOption('.map-choice[data-theirs="男"]', 'male');
    await page.selectOption('.map-choice[data-theirs="女"]', 'female');
    await page.selectOption('.map-choice[data-theirs="中国"]', 'CN');
    await shot(page, 'ja-8c-map');
    await page.click('#map-save');
    await page.waitForFunction(() => !document.querySelector('#row-errors') && document.querySelector('#cells'));
    ok(await page.isEnabled('#send'), 'ja: read through the map, the file could be sent');
    await shot(page, 'ja-8d-mapped');
  });

  await step(`${lang}: the status lists the acknowledgements`, async () => {
    await page.click('#nav-status');
    await page.waitForSelector('#status');
    ok((await page.textContent('#status h1')) === say.status, `${lang}: the status page in ${lang}`);
    const acks = await page.textContent('#acks');
    ok(acks.includes(run.period), `${lang}: the report for ${run.period} is acknowledged`);
    await shot(page, n('9-status'));
    await page.click('#logout');
    await page.waitForSelector('#signin-form');
  });
  await ctx.close();
}
// 4, at the hub: the hospital's staff sign in to the hub's own pages
// (an account of the hub, with its own TOTP enrolment) and find both
// months sent from the spoke's page in the submissions table, in plain
// words, with the patients the fixed exports held (4 each).
await step('hub: the submissions page shows what the spoke sent', async () => {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'ja-JP' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`hub: uncaught ${e.message}`));
  await hubSignIn(page, HUB, need('IBX_HUB_LOGIN'), PASSWORD, need('IBX_HUB_ENROL'));
  await page.waitForSelector('#table-submissions tbody tr');
  for (const lang of ['ja', 'en']) {
    const period = RUNS[lang].period;
    const cells = await page.$$eval('#table-submissions tbody tr', (rows, p) => rows
      .map((r) => [...r.children].map((c) => c.textContent.trim()))
      .find((c) => c.includes(p)) || [], period);
    ok(cells.includes('4'), `hub: the submissions page lists ${period} with 4 patients reported`, cells.join(' | '));
  }
  await shot(page, 'hub-submissions');
  await ctx.close();
});

await browser.close();
clearTimeout(watchdog);
ok(errors.length === 0, 'no script errors in the pages', errors.join(' | '));
console.log(`${tally.shots} screenshots in ${SHOTS}`);
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);
