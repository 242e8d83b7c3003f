// The hub's pages for each role (issue 17), in Debian's Chromium driven by
// playwright-core, once in Japanese and once in English.  A coordinator
// saves a search (filters, sort and the second page), runs it from a fresh
// search, opens it in a new tab still signed in, goes Back to the same
// place in the results, and deletes it.  The ministry picks periods in
// calendar grains only (no from/to is ever asked), drills down from the
// regions to Shikoku to Kochi and the hospitals behind its figure, reads
// the late and missing hospitals with their contacts, downloads a table
// as CSV (the UTF-8 BOM checked), and prints the dashboard (print media
// emulated: the stamp "data as of", no menus or buttons; an A4 PDF made).
// A hospital sees its own figures for every month, zeros included, its
// submissions in plain words and the sending the hub refused with its
// reason.  Every page is checked at 390 px for sideways scrolling, and
// every step photographed at desktop (1280 px) and phone (390 px) widths
// into $IBX_SHOTS.  Started by test_hubweb_browser.sh; prints "N passed,
// M failed", exits 1 on any failure.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DESKTOP, hubSignIn, ok, PHONE, shooter, step, tally } from './lib.mjs';

function need(k) {
  const v = process.env[k];
  if (!v) {
    console.error(`hubweb.test: ${k} is not set (run through test_hubweb_browser.sh)`);
    process.exit(2);
  }
  return v;
}
const BASE = need('IBX_URL');
const SHOTS = need('IBX_SHOTS');
const PASSWORD = need('IBX_PASSWORD');
const HOSPITAL = need('IBX_HOSPITAL');
const MONTHS = need('IBX_MONTHS').split(','); // five months ago .. last month
const ENROL = {};
for (const k of ['min', 'coord', 'hosp']) ENROL[k] = { ja: need(`IBX_ENROL_${k.toUpperCase()}_JA`), en: need(`IBX_ENROL_${k.toUpperCase()}_EN`) };

const SAY = {
  ja: {
    saved: '保存した検索条件', dataAsOf: 'データ時点', patientsReported: '報告した患者数', notReported: '未報告', nil: 'ゼロ報告',
    missing: '未報告', shikoku: '四国', kochi: '高知県', under10: '10未満', csv: 'CSVで保存', dashboard: 'ダッシュボード',
  },
  en: {
    saved: 'Saved searches', dataAsOf: 'Data as of', patientsReported: 'Patients reported', notReported: 'not reported', nil: 'nil report',
    missing: 'Missing', shikoku: 'Shikoku', kochi: 'Kochi', under10: 'under 10', csv: 'Download CSV', dashboard: 'Dashboard',
  },
};

const shot = shooter(SHOTS);

// fitsPhone(page, what): at 390 px the page does not scroll sideways.
async function fitsPhone(page, what) {
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(300);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  ok(w <= PHONE.width, `${what}: no sideways scrolling at 390 px (${w} px wide)`);
  await page.setViewportSize(DESKTOP);
}

const errors = [];
function watch(page, who) {
  page.on('pageerror', (e) => errors.push(`${who}: uncaught ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|403|404|409)/.test(m.text())) errors.push(`${who}: console: ${m.text()}`);
  });
}

// signIn(page, login, enrolment): the hub's first sign-in (lib.mjs).
const signIn = (page, login, enrolment) => hubSignIn(page, BASE, login, PASSWORD, enrolment);

// download(page, selector, name): click and keep the file; its bytes.
async function download(page, selector, name) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(SHOTS, name);
  await d.saveAs(file);
  return { bytes: fs.readFileSync(file), suggested: d.suggestedFilename() };
}

const watchdog = setTimeout(() => {
  console.log('FAIL: the hub pages browser test took more than 300 s');
  console.log(`${tally.passed} passed, ${tally.failed + 1} failed`);
  process.exit(1);
}, 300000);

const t0 = Date.now();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 30000,
});
console.log(`-- Chromium started (${Date.now() - t0} ms)`);

const newContext = (lang) => browser.newContext({
  locale: lang === 'ja' ? 'ja-JP' : 'en-GB', viewport: DESKTOP, acceptDownloads: true,
});

try {
  for (const lang of ['ja', 'en']) {
    const say = SAY[lang];
    // --------------------------------------------------------- coordinator
    const cctx = await newContext(lang);
    cctx.setDefaultTimeout(15000);
    const cpage = await cctx.newPage();
    watch(cpage, `coordinator-${lang}`);
    const wanted = '#/search?sort=price&offset=20';
    let firstCode = null;
    await step(`${lang}: a coordinator saves a search (filters, sort, page) and runs it`, async () => {
      await signIn(cpage, `coord-${lang}`, ENROL.coord[lang]);
      await cpage.goto(`${BASE}/${wanted}`);
      await cpage.waitForSelector('.results-area[aria-busy="false"] li.result');
      firstCode = await cpage.locator('li.result').first().getAttribute('data-code');
      ok((await cpage.textContent('#saved-searches summary')) === say.saved, `${lang}: the saved searches panel in ${lang}`);
      await cpage.fill('#saved-name', `${lang}: price, page 2`);
      await cpage.click('#saved-save');
      await cpage.waitForSelector('#saved-list li');
      const mine = await cpage.evaluate(async () => (await (await fetch('/api/v1/searches')).json()));
      ok(mine.total === 1 && mine.searches[0].query === 'sort=price&offset=20',
        `${lang}: kept at the hub with its sort and page`, JSON.stringify(mine));
      await shot(cpage, `${lang}-coordinator-1-saved`);
      // A fresh search, then the saved one run from the list.
      await cpage.goto(`${BASE}/#/search?prefecture=39`);
      await cpage.waitForSelector('.results-area[aria-busy="false"]');
      await cpage.click('#saved-list a.saved-run');
      await cpage.waitForFunction((w) => window.location.hash === w, wanted);
      await cpage.waitForSelector(`.results-area[aria-busy="false"] li.result[data-code="${firstCode}"]`);
      ok((await cpage.locator('li.result').first().getAttribute('data-code')) === firstCode,
        `${lang}: running it shows the same page of the same results`);
      ok((await cpage.inputValue('#sort')) === 'price', `${lang}: with its sort in the form`);
      await shot(cpage, `${lang}-coordinator-2-run`);
    });

    await step(`${lang}: a new tab keeps the session and the saved search`, async () => {
      const tab = await cctx.newPage();
      watch(tab, `coordinator-${lang}-tab`);
      await tab.goto(`${BASE}/${wanted}`);
      await tab.waitForSelector('#saved-list li');
      ok(tab.url().endsWith(wanted), `${lang}: the new tab opens the search signed in`);
      ok((await tab.locator('#saved-list li').count()) === 1, `${lang}: and lists the saved search`);
      await shot(tab, `${lang}-coordinator-3-new-tab`);
      await tab.close();
    });

    await step(`${lang}: Back returns to the same place in the results`, async () => {
      const cards = cpage.locator('li.result');
      const target = cards.nth(Math.min((await cards.count()) - 1, 2));
      const code = await target.getAttribute('data-code');
      await target.scrollIntoViewIfNeeded();
      await cpage.evaluate(() => window.scrollBy(0, 80));
      await cpage.waitForTimeout(300);
      const y = await cpage.evaluate(() => Math.round(window.scrollY));
      await target.locator('a.hospital-link').click();
      await cpage.waitForSelector('h1.hospital-name');
      await cpage.goBack();
      await cpage.waitForSelector(`.results-area[aria-busy="false"] li.result[data-code="${code}"]`);
      await cpage.waitForTimeout(300);
      const y2 = await cpage.evaluate(() => Math.round(window.scrollY));
      ok(cpage.url().endsWith(wanted), `${lang}: the same filters, sort and page`, cpage.url());
      ok(y > 100 && Math.abs(y2 - y) < 40, `${lang}: scrolled back to where it was (${y} -> ${y2} px)`);
      await fitsPhone(cpage, `${lang}: search`);
      await cpage.click('#saved-list button.saved-delete');
      await cpage.waitForSelector('#saved-searches .empty');
      ok(true, `${lang}: the saved search is deleted`);
      await shot(cpage, `${lang}-coordinator-4-back-deleted`);
    });
    await cctx.close();

    // ------------------------------------------------------------ ministry
    const mctx = await newContext(lang);
    mctx.setDefaultTimeout(20000);
    const mpage = await mctx.newPage();
    watch(mpage, `ministry-${lang}`);
    const asked = [];
    mpage.on('request', (r) => {
      if (r.url().includes('/api/v1/statistics')) asked.push(r.url());
    });
    const settled = () => mpage.waitForFunction(() => [...document.querySelectorAll('.panel[data-panel]')]
      .every((p) => p.dataset.state === 'ready' || p.dataset.state === 'failed'));
    await step(`${lang}: the period picker offers calendar grains only`, async () => {
      await signIn(mpage, `min-${lang}`, ENROL.min[lang]);
      await settled();
      const grains = await mpage.$$eval('#pick-grain option', (o) => o.map((x) => x.value));
      ok(JSON.stringify(grains) === '["month","quarter","fiscal_year","year"]', `${lang}: month, quarter, fiscal year, year`, JSON.stringify(grains));
      ok((await mpage.locator('#period-picker input[name=from], #period-picker input[name=to]').count()) === 0, `${lang}: no from/to window`);
      await mpage.selectOption('#pick-grain', 'month');
      await mpage.fill('#pick-month', MONTHS[2]);
      await mpage.click('#pick-apply');
      await mpage.waitForFunction((m) => window.location.hash.includes(`month=${m}`), MONTHS[2]);
      await settled();
      ok((await mpage.textContent('#selected-period')).includes(MONTHS[2]), `${lang}: the month picked is shown`);
      await mpage.selectOption('#pick-grain', 'quarter');
      await mpage.click('#pick-apply');
      await mpage.waitForFunction(() => window.location.hash.includes('period=quarter'));
      await settled();
      await mpage.selectOption('#pick-grain', 'fiscal_year');
      await mpage.click('#pick-apply');
      await mpage.waitForFunction(() => window.location.hash.includes('period=fiscal_year'));
      await settled();
      ok(asked.length > 0 && asked.every((u) => !/[?&](from|to)=/.test(u)), `${lang}: ${asked.length} statistics calls, none with from/to`);
      ok(asked.some((u) => u.includes('period=quarter')) && asked.some((u) => u.includes('period=fiscal_year'))
        && asked.some((u) => u.includes(`month=${MONTHS[2]}`)), `${lang}: each grain asked of the API`);
      await shot(mpage, `${lang}-ministry-1-period`);
    });

    await step(`${lang}: drill-down from region to prefecture to hospitals`, async () => {
      await mpage.goto(`${BASE}/#/dashboard?period=month&month=${MONTHS[2]}`);
      await settled();
      ok((await mpage.locator('#table-drill tbody tr').count()) === 8, `${lang}: eight regions`);
      await mpage.click('#table-drill a[data-region="shikoku"]');
      await mpage.waitForFunction(() => window.location.hash.includes('region=shikoku'));
      await settled();
      ok((await mpage.textContent('#drill-crumbs')).includes(say.shikoku), `${lang}: Shikoku opened`);
      ok((await mpage.locator('#table-drill tbody tr').count()) === 4, `${lang}: its four prefectures`);
      await mpage.click('#table-drill a[data-pref="39"]');
      await mpage.waitForFunction(() => window.location.hash.includes('pref=39'));
      await settled();
      const rows = await mpage.locator('#table-drill-hospitals tbody tr').count();
      const api = await mpage.evaluate(async (m) => (await (await fetch(`/api/v1/statistics?measure=patients&by=hospital,period&prefecture=39&period=month&month=${m}`)).json()), MONTHS[2]);
      ok(rows > 0 && rows === api.cells.length, `${lang}: the hospitals behind Kochi's figure (${rows}, as the release)`);
      const nums = (await mpage.locator('#table-drill-hospitals tbody td').allTextContents())
        .filter((x) => /^[0-9,]+$/.test(x.trim())).map((x) => Number(x.replace(/,/g, '')));
      ok(nums.every((n) => n >= 10), `${lang}: no figure under 10 shown`, JSON.stringify(nums));
      const hidden = Number(await mpage.getAttribute('#drill-hidden', 'data-hidden'));
      ok(hidden === 12 - rows, `${lang}: the other ${hidden} listed hospitals counted, not shown`);
      ok((await mpage.textContent('#drill-crumbs')).includes(say.kochi), `${lang}: the path reads region > prefecture`);
      await shot(mpage, `${lang}-ministry-2-drill-hospitals`);
      await mpage.goBack();
      await mpage.waitForFunction(() => window.location.hash.includes('region=shikoku') && !window.location.hash.includes('pref='));
      await settled();
      ok((await mpage.locator('#table-drill tbody tr').count()) === 4, `${lang}: Back returns to Shikoku's prefectures`);
    });

    await step(`${lang}: late and missing hospitals with their contacts`, async () => {
      await mpage.goto(`${BASE}/#/dashboard?period=month&month=${MONTHS[4]}`);
      await settled();
      const api = await mpage.evaluate(async (m) => (await (await fetch(`/api/v1/completeness?period=${m}&status=late_or_missing&limit=20`)).json()), MONTHS[4]);
      const rows = await mpage.locator('#table-late tbody tr').count();
      ok(api.total > 0 && rows === Math.min(20, api.total), `${lang}: ${rows} late or missing hospitals listed (of ${api.total})`);
      const withContact = api.hospitals.find((x) => x.contact?.email);
      if (withContact) {
        const row = await mpage.textContent(`#table-late tr[data-code="${withContact.organisation_code}"]`);
        ok(row.includes(withContact.contact.email), `${lang}: with the contact from the listing`, row);
      }
      const statuses = await mpage.$$eval('#table-late tbody tr', (r) => r.map((x) => x.dataset.status));
      ok(statuses.every((s) => s === 'late' || s === 'missing'), `${lang}: only late or missing`);
      ok(!(await mpage.textContent('#panel-late')).match(/cells|セル/), `${lang}: no counts of what a hospital held`);
      await shot(mpage, `${lang}-ministry-3-late`);
    });

    await step(`${lang}: a table as CSV with a UTF-8 BOM`, async () => {
      await mpage.goto(`${BASE}/#/dashboard?period=month&month=${MONTHS[2]}`);
      await settled();
      const bars = await mpage.locator('.csv-download').count();
      const tables = await mpage.locator('main table').count();
      ok(bars === tables && tables >= 8, `${lang}: every table has a CSV button (${bars} of ${tables})`);
      ok((await mpage.locator('.csv-download').first().textContent()) === say.csv, `${lang}: labelled in ${lang}`);
      const f = await download(mpage, '#panel-drill .csv-download', `${lang}-drill.csv`);
      ok(f.bytes[0] === 0xef && f.bytes[1] === 0xbb && f.bytes[2] === 0xbf, `${lang}: the CSV starts with the UTF-8 BOM`);
      const text = f.bytes.toString('utf8').slice(1);
      ok(text.split('\r\n').length === 10 && text.includes(say.shikoku), `${lang}: header and 8 regions, CRLF, in ${lang}`, text.slice(0, 120));
      ok(f.suggested.endsWith('.csv'), `${lang}: named ${f.suggested}`);
    });

    await step(`${lang}: the dashboard prints to an A4 report stamped "data as of"`, async () => {
      ok((await mpage.textContent('#print-stamp')).includes(say.dataAsOf), `${lang}: the stamp says "${say.dataAsOf}"`);
      await mpage.emulateMedia({ media: 'print' });
      const shown = await mpage.evaluate(() => ({
        header: getComputedStyle(document.querySelector('header.top')).display,
        stamp: getComputedStyle(document.getElementById('print-stamp')).display,
        buttons: [...document.querySelectorAll('main button')].filter((b) => getComputedStyle(b).display !== 'none').length,
        picker: getComputedStyle(document.getElementById('period-picker')).display,
      }));
      ok(shown.header === 'none' && shown.picker === 'none' && shown.buttons === 0, `${lang}: no menus, forms or buttons in print`, JSON.stringify(shown));
      ok(shown.stamp !== 'none', `${lang}: the stamp is printed`);
      await mpage.screenshot({ path: path.join(SHOTS, `${lang}-ministry-4-print.png`), fullPage: true });
      tally.shots++;
      const pdf = await mpage.pdf({ format: 'A4', printBackground: false });
      fs.writeFileSync(path.join(SHOTS, `${lang}-dashboard.pdf`), pdf);
      ok(pdf.slice(0, 4).toString() === '%PDF' && pdf.length > 2000, `${lang}: a PDF made (${pdf.length} bytes)`);
      const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)/);
      ok(box && Math.abs(Number(box[1]) - 595.3) < 3 && Math.abs(Number(box[2]) - 841.9) < 3, `${lang}: its pages are A4 (${box?.[1]} x ${box?.[2]} pt)`);
      await mpage.emulateMedia({ media: 'screen' });
      await fitsPhone(mpage, `${lang}: dashboard`);
      await shot(mpage, `${lang}-ministry-5-dashboard`);
    });
    await mctx.close();

    // ------------------------------------------------------------ hospital
    const hctx = await newContext(lang);
    hctx.setDefaultTimeout(20000);
    const hpage = await hctx.newPage();
    watch(hpage, `hospital-${lang}`);
    await step(`${lang}: a hospital's own months, every one, zeros included`, async () => {
      await signIn(hpage, `hosp-${lang}`, ENROL.hosp[lang]);
      await hpage.waitForSelector('#table-own-months tbody tr');
      const rows = await hpage.$$eval('#table-own-months tbody tr', (r) => r.map((x) => ({
        period: x.dataset.period, total: x.children[1].textContent, status: x.lastElementChild.textContent,
      })));
      const got = rows.map((r) => r.period).reverse();
      ok(JSON.stringify(got) === JSON.stringify(MONTHS), `${lang}: every month from the first report to last month`, JSON.stringify(got));
      const at = Object.fromEntries(rows.map((r) => [r.period, r]));
      ok(at[MONTHS[0]].total === '17' && at[MONTHS[2]].total === '15', `${lang}: the months reported, exact (17, 15)`);
      ok(at[MONTHS[1]].total === '0' && at[MONTHS[1]].status === say.notReported, `${lang}: a month without a report shows 0, not reported`);
      ok(at[MONTHS[3]].total === '0' && at[MONTHS[3]].status.includes(say.nil), `${lang}: a nil report shows 0`);
      ok(at[MONTHS[4]].total === '0', `${lang}: last month shows 0`);
      const head = await hpage.textContent('#table-submissions thead');
      ok(head.includes(say.patientsReported) && !/cells|セル/i.test(head), `${lang}: submissions in plain words`, head);
      const first = await hpage.textContent(`#table-submissions tbody tr:has-text("${MONTHS[2]}")`);
      ok(first.includes('15'), `${lang}: 15 patients reported for ${MONTHS[2]}`, first);
      const refused = await hpage.textContent('#table-refused tbody');
      ok(refused.includes('nationality'), `${lang}: the refused sending with its reason`, refused);
      const g = await download(hpage, '.csv-bar:has(+ .table-wrap #table-own-months) .csv-download', `${lang}-own-months.csv`);
      ok(g.bytes[0] === 0xef && g.bytes[1] === 0xbb && g.bytes[2] === 0xbf && g.bytes.toString('utf8').split('\r\n').length === MONTHS.length + 2,
        `${lang}: the months download as CSV with a BOM`);
      await fitsPhone(hpage, `${lang}: a hospital's page`);
      await shot(hpage, `${lang}-hospital-1-months`);
    });
    await hctx.close();
  }
  ok(tally.shots >= 30, `${tally.shots} screenshots (desktop and phone) in ${SHOTS}`);
  ok(errors.length === 0, 'no script errors and no Content-Security-Policy violations', errors.join(' | '));
} finally {
  await browser.close().catch(() => {});
  clearTimeout(watchdog);
}
console.log(`${tally.passed} passed, ${tally.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s in the browser)`);
process.exit(tally.failed ? 1 : 0);
