// Referrals (issue 15, docs/referrals.md) on the spoke's own page: the one
// place where a package is decrypted, since the organisation's private key
// is here.
//
//   hospital      the inbox (from the hub, each envelope verified), "Fetch
//                 and open" (fetched, decrypted and verified into this
//                 spoke's received folder), the files with sizes and
//                 SHA-256 to download, and an answer form per referral
//   coordinator,  "Send a referral": hospital code, purpose, department,
//   partner       nationality, age band, languages, urgency and the files
//                 (uploaded to this spoke, sealed here, sent through the
//                 outbox), and the referrals sent with their statuses
//
// Every refusal names the field and the reason in the page's language
// (problemText: the problem's code, else the server's English).
import { call } from './api.js';
import { h } from '/ui/dom.js';
import { AGE_BANDS, COUNTRIES, DECLINE_REASONS, DEPARTMENTS, LANGUAGES, URGENCIES } from '/ui/codes.js';
import { countryName, currentLang, departmentName, languageName, problemText, purposeName, t } from './i18n.js';

// The words of this view ([ja, en]); others come from i18n.js.
const W = {
  inbox_title: ['紹介の受信箱', 'Referral inbox'],
  inbox_intro: ['紹介資料はこの端末でだけ復号されます（自院の秘密鍵はここにあります）。ハブは暗号文とメタデータしか持ちません。',
    'Packages are decrypted here only (this hospital\'s private key is here). The hub holds ciphertext and metadata only.'],
  send_title: ['紹介を送る', 'Send a referral'],
  send_intro: ['ファイルはこの端末で病院の鍵に暗号化され、送信キューを通ってハブへ送られます。ハブが見るのは下の項目（メタデータ）だけです。',
    'The files are encrypted here for the hospital\'s key and sent through the outbox. The hub sees only the fields below (metadata).'],
  sent_title: ['送信した紹介', 'Referrals sent'],
  none_received: ['受信した紹介はありません。', 'No referral has arrived.'],
  none_sent: ['まだ紹介を送信していません。', 'No referral sent yet.'],
  hub_error: ['ハブに接続できません（この端末にある情報だけを表示しています）：{e}', 'The hub does not answer (showing only what is here): {e}'],
  f_to: ['紹介先の病院（医療機関コード10桁）', 'Hospital (10-digit code)'],
  f_purpose: ['目的', 'Purpose'],
  f_department: ['診療科', 'Department'],
  f_nationality: ['患者の国籍', 'Patient\'s nationality'],
  f_age_band: ['年齢層', 'Age band'],
  f_languages: ['言語', 'Languages'],
  f_urgency: ['緊急度', 'Urgency'],
  f_files: ['ファイル（症例要約、報告書、DICOM画像など）', 'Files (case summary, reports, DICOM studies)'],
  f_files_hint: ['最大 {max}。ファイルは送信中にこの端末のディスクに書かれ、メモリには保持されません。', 'At most {max}. Files are written to this spoke\'s disk as they arrive, never held in memory.'],
  choose: ['選択してください', 'Choose'],
  none_opt: ['（なし）', '(none)'],
  send_button: ['暗号化して送信', 'Encrypt and send'],
  sending: ['アップロード・暗号化・送信中…', 'Uploading, encrypting and sending…'],
  sent_ok: ['紹介 {id} を送信しました。', 'Referral {id} sent.'],
  queued_ok: ['紹介 {id} を送信キューに入れました（ハブに接続でき次第エージェントが送ります）。', 'Referral {id} queued (the agent sends it when the hub answers).'],
  col_id: ['紹介ID', 'Referral'],
  col_to: ['紹介先', 'To'],
  col_from: ['紹介元', 'From'],
  col_purpose: ['目的', 'Purpose'],
  col_patient: ['患者', 'Patient'],
  col_files: ['ファイル', 'Files'],
  col_sent: ['送信日時', 'Sent'],
  col_status: ['現在の状況', 'Current status'],
  size: ['サイズ', 'Size'],
  state_at_hub: ['ハブでの状況：{s}', 'At the hub: {s}'],
  fetch_open: ['取得して開く', 'Fetch and open'],
  fetching: ['取得・復号・検証中…', 'Fetching, decrypting and verifying…'],
  opened: ['復号・検証済みのファイル（SHA-256 はパッケージの記載と一致）', 'Decrypted and verified files (SHA-256 equal to the package\'s manifest)'],
  verified: ['検証済み', 'verified'],
  download: ['ダウンロード', 'Download'],
  answer_title: ['回答する', 'Answer'],
  a_status: ['回答', 'Answer'],
  a_reason: ['辞退の理由', 'Reason for declining'],
  a_price_min: ['見積額（下限、円）', 'Quote, from (JPY)'],
  a_price_max: ['見積額（上限、円）', 'Quote, to (JPY)'],
  a_earliest: ['最短の受入日', 'Earliest date'],
  a_report: ['セカンドオピニオン報告書（ファイル）', 'Second opinion report (file)'],
  a_visit_date: ['来院日', 'Visit date'],
  answer_button: ['回答を送信', 'Send the answer'],
  answered: ['回答「{s}」を送信しました。', 'Answer "{s}" sent.'],
  history: ['これまでの状況', 'Statuses so far'],
  by: ['{org}', 'by {org}'],
  quote_text: ['{min}〜{max}円、最短 {d}', 'JPY {min} to {max}, from {d}'],
  upload_too_large: ['「{f}」：アップロードの上限（{max}）を超えています', '"{f}": the upload is larger than the maximum ({max})'],
  problems: ['入力内容を確認してください', 'Please check the form'],
  s_sending: ['送信中', 'sending'],
  s_sent: ['送信済み', 'sent'],
  s_delivered: ['受信済み', 'delivered'],
  s_acknowledged: ['受付', 'acknowledged'],
  s_declined: ['辞退', 'declined'],
  s_quote: ['見積り', 'quote'],
  s_opinion_returned: ['セカンドオピニオン返送', 'second opinion returned'],
  s_visit_scheduled: ['来院予定', 'visit scheduled'],
  s_visited: ['来院済み', 'visited'],
  s_withdrawn: ['取り下げ', 'withdrawn'],
};
const ja = () => currentLang() === 'ja';
function w(key, vars = {}) {
  const row = W[key];
  if (!row) return t(key, vars);
  let s = row[ja() ? 0 : 1];
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}
const stateName = (s) => (W[`s_${s}`] ? w(`s_${s}`) : s);
const coded = (rows, c) => rows.find((r) => r[0] === c)?.[ja() ? 1 : 2] ?? c;
let UPLOAD_MAX = 2 * 1024 ** 3; // the spoke's --upload-max, from /api/referrals
const ANSWERS = ['acknowledged', 'declined', 'quote', 'opinion_returned', 'visit_scheduled', 'visited'];

function bytes(n) {
  const u = ['B', 'KB', 'MB', 'GB'];
  let v = Number(n) || 0, i = 0;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString(ja() ? 'ja-JP' : 'en-GB', { maximumFractionDigits: i ? 1 : 0 })} ${u[i]}`;
}
const yen = (n) => Number(n).toLocaleString(ja() ? 'ja-JP' : 'en-GB');

function csrf() {
  const m = document.cookie.match(/(?:^|; )ibx_csrf=([0-9a-f]{64})/);
  return m ? m[1] : '';
}

// A multipart POST (FormData) with the CSRF token: the JSON answer with
// its status in .status_code; never throws but for the network.
async function postForm(path, fd) {
  let r;
  try {
    r = await fetch(path, { method: 'POST', body: fd, headers: { Accept: 'application/json', 'X-CSRF-Token': csrf() }, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    return { status_code: 0, error: `network: ${e.message}` };
  }
  let json = {};
  try {
    json = await r.json();
  } catch {
    json = {};
  }
  json.status_code = r.status;
  return json;
}

// A field: its label, its control and a place for its problem.
function field(id, label, control, hint) {
  return h('div', { class: 'field', id: `field-${id}` },
    h('label', { for: id }, label), control,
    hint ? h('small', { class: 'hint' }, hint) : null);
}
function options(rows, current, none) {
  return [none ? h('option', { value: '' }, none) : null,
    ...rows.map(([v, text]) => h('option', { value: v, selected: v === current }, text))];
}

// Show an answer's problems beside their fields in form, and as a list in
// box; a 413 names the field of the upload.
function clearProblems(form) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('.has-error').forEach((e) => e.classList.remove('has-error'));
}
function showProblems(form, box, r) {
  clearProblems(form);
  let problems = r.problems || [];
  if (r.status_code === 413) {
    const f = /field "([^"]*)"/.exec(r.error || '')?.[1] || 'files';
    problems = [{ field: f, message: r.error, text: w('upload_too_large', { f, max: bytes(UPLOAD_MAX) }) }];
  }
  if (!problems.length) {
    box.className = 'error';
    box.textContent = `${t('error')}: ${r.error || `HTTP ${r.status_code}`}`;
    return;
  }
  const items = problems.map((p) => {
    const text = p.text || problemText(p);
    const el = form.querySelector(`#field-${CSS.escape(p.field)}`) || form.querySelector(`#field-${CSS.escape((p.field || '').replace(/\[.*$/, ''))}`);
    if (el) {
      el.classList.add('has-error');
      el.append(h('p', { class: 'field-error', role: 'alert' }, text));
    }
    return h('li', { 'data-field': p.field, 'data-code': p.code || '' }, `${p.field}: ${text}`);
  });
  box.className = 'error';
  box.replaceChildren(h('strong', {}, w('problems')), h('ul', { class: 'problems' }, items));
}

function statusLine(s) {
  const extra = s.state === 'quote' ? ` · ${w('quote_text', { min: yen(s.price_min_jpy), max: yen(s.price_max_jpy), d: s.earliest_date })}`
    : s.reason_code ? ` · ${coded(DECLINE_REASONS, s.reason_code)}`
      : s.visit_date ? ` · ${s.visit_date}` : s.report_referral_id ? ` · ${s.report_referral_id.slice(0, 8)}` : '';
  return h('li', { 'data-state': s.state }, h('strong', {}, stateName(s.state)), ` ${w('by', { org: s.by })}${extra}`);
}

function fileList(id, files) {
  return h('div', { class: 'ok', id: `files-${id}` },
    h('p', {}, w('opened')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'files' },
      h('thead', {}, h('tr', {}, [w('col_files'), w('size'), 'SHA-256', ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, files.map((f) => h('tr', { 'data-name': f.name },
        h('th', { scope: 'row', class: 'mono' }, f.name),
        h('td', { class: 'num' }, bytes(f.size)),
        h('td', { class: 'mono sha256', title: w('verified') }, `✔ ${f.sha256}`),
        h('td', {}, h('a', { class: 'button download', download: f.name.split('/').pop(),
          href: `/api/referrals/file?id=${encodeURIComponent(id)}&name=${encodeURIComponent(f.name)}` }, w('download')))))))));
}

function answerForm(r, refresh) {
  const id = r.referral_id;
  const box = h('div', { role: 'status', 'aria-live': 'polite' });
  const status = h('select', { id: `a-status-${id}`, name: 'status' }, options(ANSWERS.map((s) => [s, stateName(s)]), '', w('choose')));
  const parts = {
    declined: field('reason', w('a_reason'), h('select', { id: `a-reason-${id}`, name: 'reason' }, options(DECLINE_REASONS.map((x) => [x[0], coded(DECLINE_REASONS, x[0])]), '', w('choose')))),
    quote: [field('price_min', w('a_price_min'), h('input', { id: `a-price-min-${id}`, name: 'price_min', inputmode: 'numeric' })),
      field('price_max', w('a_price_max'), h('input', { id: `a-price-max-${id}`, name: 'price_max', inputmode: 'numeric' })),
      field('earliest', w('a_earliest'), h('input', { id: `a-earliest-${id}`, name: 'earliest', type: 'date' }))],
    opinion_returned: field('report', w('a_report'), h('input', { id: `a-report-${id}`, name: 'report', type: 'file' })),
    visit_scheduled: field('visit_date', w('a_visit_date'), h('input', { id: `a-visit-${id}`, name: 'visit_date', type: 'date' })),
  };
  const extra = h('div', { class: 'row' });
  const show = () => extra.replaceChildren(...[parts[status.value] || []].flat());
  status.addEventListener('change', show);
  const button = h('button', { type: 'submit', class: 'primary', id: `a-send-${id}` }, w('answer_button'));
  const form = h('form', { class: 'spoke-form answer-form', 'data-referral': id, novalidate: true },
    h('fieldset', {}, h('legend', {}, w('answer_title')),
      h('input', { type: 'hidden', name: 'id', value: id }),
      h('div', { class: 'row' }, field('status', w('a_status'), status)), extra,
      h('div', { class: 'buttons' }, button), box));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    box.className = 'hint';
    box.textContent = t('loading');
    const res = await postForm('/api/referrals/answer', new FormData(form));
    button.disabled = false;
    if (res.status_code === 200 || res.status_code === 202) {
      box.className = 'ok';
      box.textContent = w('answered', { s: stateName(res.status) });
      await refresh();
      return;
    }
    if (res.status_code === 401) {
      box.className = 'error';
      box.textContent = t('session_ended');
      return;
    }
    showProblems(form, box, res);
  });
  return form;
}

function receivedCard(r, refresh) {
  const id = r.referral_id;
  const open = h('div', { class: 'open-area' });
  const box = h('div', { role: 'status', 'aria-live': 'polite' });
  if (r.files) open.append(fileList(id, r.files));
  else if (r.state === 'sent') {
    const b = h('button', { type: 'button', class: 'primary fetch', id: `fetch-${id}` }, w('fetch_open'));
    b.addEventListener('click', async () => {
      b.disabled = true;
      box.className = 'hint';
      box.textContent = w('fetching');
      const res = await call('POST', '/api/referrals/fetch', { id }, { allow: [400, 403, 404, 422, 503] });
      b.disabled = false;
      if (res.status_code === 200) {
        await refresh();
        return;
      }
      box.className = 'error';
      box.textContent = (res.problems || []).map((p) => `${p.field}: ${problemText(p)}`).join('; ') || res.error;
    });
    open.append(b, box);
  }
  return h('li', { class: 'card referral', 'data-referral': id, 'data-state': r.current || r.state },
    h('h2', {}, `${purposeName(r.purpose)} · `, h('span', { class: 'mono' }, id)),
    h('dl', { class: 'fields' },
      h('dt', {}, w('col_from')), h('dd', {}, r.from),
      h('dt', {}, w('col_patient')), h('dd', {}, `${countryName(r.nationality)} · ${coded(AGE_BANDS, r.age_band)}${r.languages.length ? ` · ${r.languages.map(languageName).join(', ')}` : ''}`),
      r.department ? [h('dt', {}, w('f_department')), h('dd', {}, departmentName(r.department))] : null,
      h('dt', {}, w('f_urgency')), h('dd', {}, coded(URGENCIES, r.urgency)),
      h('dt', {}, w('size')), h('dd', {}, bytes(r.package_bytes)),
      h('dt', {}, w('col_status')), h('dd', { class: 'current' }, stateName(r.current || r.state))),
    r.statuses.length ? [h('h3', {}, w('history')), h('ul', { class: 'statuses' }, r.statuses.map(statusLine))] : null,
    open,
    r.files ? answerForm(r, refresh) : null);
}

async function inboxView(main, data, refresh) {
  main.replaceChildren(h('div', { id: 'referrals' },
    h('h1', {}, w('inbox_title')),
    h('p', { class: 'hint' }, w('inbox_intro')),
    data.hub_error ? h('p', { class: 'warning', id: 'hub-error' }, w('hub_error', { e: data.hub_error })) : null,
    data.received.length ? h('ul', { class: 'referrals plain' }, [...data.received].reverse().map((r) => receivedCard(r, refresh)))
      : h('p', { class: 'hint', id: 'none-received' }, w('none_received'))));
}

function sendForm(refresh, purposes) {
  const box = h('div', { role: 'status', 'aria-live': 'polite', id: 'send-status' });
  const sel = (id, rows, none) => h('select', { id: `r-${id}`, name: id }, options(rows, '', none));
  const langs = h('div', { class: 'pick', id: 'r-languages' }, LANGUAGES.map((l) => h('label', {},
    h('input', { type: 'checkbox', value: l, 'data-lang': l }), languageName(l))));
  const button = h('button', { type: 'submit', class: 'primary', id: 'r-send' }, w('send_button'));
  const form = h('form', { class: 'spoke-form card', id: 'send-form', novalidate: true },
    h('h2', {}, w('send_title')), h('p', { class: 'hint' }, w('send_intro')),
    h('div', { class: 'row' },
      field('to', w('f_to'), h('input', { id: 'r-to', name: 'to', inputmode: 'numeric', maxlength: 10, autocomplete: 'off' })),
      field('purpose', w('f_purpose'), sel('purpose', purposes.map((p) => [p, purposeName(p)]), w('choose'))),
      field('department', w('f_department'), sel('department', DEPARTMENTS.map((d) => [d[0], departmentName(d[0])]), w('none_opt'))),
      field('nationality', w('f_nationality'), sel('nationality', COUNTRIES.map((c) => [c, countryName(c)]), w('choose'))),
      field('age_band', w('f_age_band'), sel('age_band', AGE_BANDS.map((a) => [a[0], coded(AGE_BANDS, a[0])]), w('choose'))),
      field('urgency', w('f_urgency'), sel('urgency', URGENCIES.map((u) => [u[0], coded(URGENCIES, u[0])])))),
    field('languages', w('f_languages'), langs),
    field('files', w('f_files'), h('input', { id: 'r-files', name: 'files', type: 'file', multiple: true }), w('f_files_hint', { max: bytes(UPLOAD_MAX) })),
    h('div', { class: 'buttons' }, button), box);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    fd.set('languages', [...langs.querySelectorAll('input:checked')].map((x) => x.value).join(','));
    fd.delete('files');
    for (const f of form.querySelector('#r-files').files) fd.append('files', f, f.name);
    button.disabled = true;
    clearProblems(form);
    box.className = 'hint';
    box.textContent = w('sending');
    const res = await postForm('/api/referrals/send', fd);
    button.disabled = false;
    if (res.status_code === 200 || res.status_code === 202) {
      form.reset();
      await refresh(w(res.status_code === 200 ? 'sent_ok' : 'queued_ok', { id: res.referral_id }));
      return;
    }
    if (res.status_code === 401) {
      box.className = 'error';
      box.textContent = t('session_ended');
      return;
    }
    showProblems(form, box, res);
  });
  return form;
}

function sentList(data) {
  if (!data.sent.length) return h('p', { class: 'hint', id: 'none-sent' }, w('none_sent'));
  const rows = [...data.sent].sort((a, b) => (a.sent_at < b.sent_at ? 1 : -1));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'sent' },
    h('thead', {}, h('tr', {}, [w('col_id'), w('col_to'), w('col_purpose'), w('col_patient'), w('col_files'), w('col_sent'), w('col_status')]
      .map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-referral': r.referral_id, 'data-state': r.current || 'sent' },
      h('th', { scope: 'row', class: 'mono' }, r.referral_id.slice(0, 12)),
      h('td', {}, r.to),
      h('td', {}, purposeName(r.purpose)),
      h('td', {}, `${countryName(r.nationality)} · ${coded(AGE_BANDS, r.age_band)}`),
      h('td', {}, r.files.map((f) => h('div', { class: 'mono', 'data-sha256': f.sha256 }, `${f.name} (${bytes(f.size)})`))),
      h('td', {}, r.sent_at),
      h('td', { class: 'current' }, stateName(r.current || (r.queued ? 'sending' : 'sent')),
        r.statuses.length ? h('ul', { class: 'statuses' }, r.statuses.map(statusLine)) : null))))));
}

async function senderView(main, data, refresh, notice) {
  main.replaceChildren(h('div', { id: 'referrals' },
    h('h1', {}, t('nav_referrals')),
    data.hub_error ? h('p', { class: 'warning', id: 'hub-error' }, w('hub_error', { e: data.hub_error })) : null,
    notice ? h('p', { class: 'ok', id: 'send-done', role: 'status' }, notice) : null,
    sendForm(refresh, data.purposes || []),
    h('section', { class: 'card', id: 'sent-area' }, h('h2', {}, w('sent_title')), sentList(data))));
}

// referralsView(main): the view of the signed-in organisation's role.
export async function referralsView(main) {
  main.replaceChildren(h('p', { class: 'hint' }, t('loading')));
  const refresh = async (notice) => {
    const data = await call('GET', '/api/referrals');
    if (data.upload_max > 0) UPLOAD_MAX = data.upload_max;
    if (data.role === 'hospital') await inboxView(main, data, refresh);
    else await senderView(main, data, refresh, notice);
  };
  await refresh();
}
