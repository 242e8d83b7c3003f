// Every table as a CSV download, and every page as a printed report
// (issue 17).
//
// Each table on a page gets a "Download CSV" button when it appears (the
// dashboard's panels draw theirs later: a MutationObserver finds them).
// The CSV is the table as shown, header rows included, in UTF-8 with a
// byte-order mark so that Excel opens Japanese text correctly, fields
// quoted as RFC 4180 says, lines ended with CRLF.  The score breakdowns of
// search results are parts of a result, not tables of their own, and get
// none.
//
// A printed page is an A4 report (style.css, @media print): the menus,
// forms and buttons left out, and a stamp at the top naming the page and
// "data as of" the time its figures were read (and, on the dashboard, the
// last released month).
import { h } from './dom.js';
import { tw } from './i18n_hubweb.js';
import { t } from './i18n.js';

const BOM = '\uFEFF';

function field(s) {
  const v = String(s ?? '').replace(/\s+/g, ' ').trim();
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

// tableCsv(table): the table's rows as CSV text, starting with the BOM.
export function tableCsv(table) {
  const lines = [];
  for (const tr of table.querySelectorAll('tr')) {
    const cells = [...tr.children].filter((c) => c.tagName === 'TH' || c.tagName === 'TD');
    lines.push(cells.map((c) => field(c.textContent)).join(','));
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

// The file name of a table: its id, caption or section title, in safe
// characters (Japanese kept), and .csv.
function fileName(table) {
  const title = table.id || table.querySelector('caption')?.textContent
    || table.closest('section')?.querySelector('h2')?.textContent
    || document.querySelector('main h1')?.textContent || 'table';
  const slug = title.replace(/^table-/, '').replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
  return `${slug || 'table'}.csv`;
}

function download(table) {
  const blob = new Blob([tableCsv(table)], { type: 'text/csv;charset=utf-8' });
  const href = URL.createObjectURL(blob);
  const a = h('a', { href, download: fileName(table) });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

// decorate(root): a CSV button before every table under root that has none.
export function decorate(root) {
  for (const table of root.querySelectorAll('table')) {
    if (table.dataset.csv || table.closest('.breakdown')) continue;
    table.dataset.csv = '1';
    const at = table.closest('.table-wrap') || table;
    const b = h('button', { type: 'button', class: 'button csv-download', 'data-for': table.id || null }, tw('download_table_csv'));
    b.addEventListener('click', () => download(table));
    at.before(h('div', { class: 'csv-bar no-print' }, b));
  }
}

let observer = null;

// watchTables(main): decorate the tables in main now and whenever some
// are added.
export function watchTables(main) {
  decorate(main);
  if (observer) return;
  observer = new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes)
        if (n.nodeType === 1 && (n.tagName === 'TABLE' || n.querySelector?.('table'))) {
          decorate(main);
          return;
        }
  });
  observer.observe(main, { childList: true, subtree: true });
}

function stampTime(d) {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// stamp(root): the report's stamp at the top of a page: the application,
// the time the page's figures were read, and a Print button (on screen).
export function stamp(root) {
  const when = h('span', { class: 'stamp-when' }, tw('data_as_of', { d: stampTime(new Date()) }));
  const note = h('span', { class: 'stamp-note' });
  const print = h('button', { type: 'button', class: 'button print-button no-print' }, tw('print'));
  print.addEventListener('click', () => window.print());
  const el = h('div', { class: 'print-stamp', id: 'print-stamp' },
    h('span', { class: 'stamp-app' }, `${t('app_name')} · `), when, note, ' ', print);
  root.prepend(el);
  return el;
}

// stampNote(text): more about the data's time on the current page's
// stamp (the dashboard: the last released month).
export function stampNote(text) {
  const n = document.querySelector('#print-stamp .stamp-note');
  if (n) n.textContent = text;
}
