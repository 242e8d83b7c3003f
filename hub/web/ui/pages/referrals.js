// The referral channel at the hub (issue 15, docs/referrals.md): metadata
// only, never a package.
//
//   #/referrals            a coordinator's "Referrals sent", a hospital's
//                          "Referral inbox": hospital (or referrer),
//                          purpose, nationality, age band, size, sent,
//                          current status, time to first answer; 20 a page
//   #/referrals/ID         one referral and its status timeline (who moved
//                          it to which state, when, and what the status
//                          carried)
//
// The ministry sees counts only (its portfolio, not here).  A package is
// opened at the hospital's own spoke page, where its private key is, never
// at the hub: the inbox says so.  Words: Japanese and English here; the
// other languages fall back to English (ta()'s rule).
import { api } from '../api.js';
import { fill, loading } from '../common.js';
import { AGE_BANDS } from '../codes.js';
import { h } from '../dom.js';
import { countryName, departmentName, getLang, languageName, num, purposeName, t, when, yen } from '../i18n.js';

const PAGE = 20;

// An age band's name ([code, ja, en] rows of codes.js).
const ageBandName = (c) => AGE_BANDS.find((r) => r[0] === c)?.[getLang() === 'ja' ? 1 : 2] ?? c;

// key: { ja, en }.  {name} is replaced by tr()'s vars.
export const REFERRAL_DICT = {
  sent_title: { ja: '送信した紹介', en: 'Referrals sent' },
  sent_intro: {
    ja: 'あなたの組織が病院へ送った紹介の状況です。ハブが保持するのは送受信の記録（メタデータ）だけで、患者の資料は暗号化されたまま病院へ届きます。',
    en: 'The referrals your organisation sent to hospitals and where each stands. The hub keeps only their metadata; the case files travel encrypted to the hospital.',
  },
  inbox_title: { ja: '受信した紹介', en: 'Referral inbox' },
  inbox_intro: {
    ja: 'あなたの病院宛ての紹介と、それぞれへの回答です。',
    en: 'The referrals addressed to your hospital, and what it answered.',
  },
  inbox_note: {
    ja: '紹介資料（パッケージ）は、病院の秘密鍵がある自院のスポーク画面（inbound-spoke serve）で取得・復号します。ハブでは決して開けません。',
    en: "A referral's package is fetched and opened at your hospital's own spoke page (inbound-spoke serve), where its private key is, never at the hub.",
  },
  ministry_note: {
    ja: '厚生労働省には紹介の件数と所要時間のみが表示されます（ポートフォリオ）。個々の紹介は表示されません。',
    en: 'The ministry sees referral counts and times only (the portfolio), never one referral.',
  },
  col_hospital: { ja: '病院', en: 'Hospital' },
  col_referrer: { ja: '紹介元', en: 'Referred by' },
  col_purpose: { ja: '目的', en: 'Purpose' },
  col_nationality: { ja: '国籍', en: 'Nationality' },
  col_age_band: { ja: '年齢層', en: 'Age band' },
  col_size: { ja: 'サイズ', en: 'Size' },
  col_sent: { ja: '送信日時', en: 'Sent' },
  col_status: { ja: '現在の状況', en: 'Current status' },
  col_first_answer: { ja: '初回回答まで', en: 'Time to first answer' },
  hours: { ja: '{n}時間', en: '{n} h' },
  none_sent: { ja: 'まだ紹介を送信していません。', en: 'No referral sent yet.' },
  none_received: { ja: '受信した紹介はまだありません。', en: 'No referral received yet.' },
  n_of_total: { ja: '{total}件中 {from}–{to}件', en: '{from}–{to} of {total}' },
  response_times: { ja: '病院別の回答時間（過去90日、中央値）', en: 'Response times by hospital (last 90 days, median)' },
  answered_n: { ja: '{n}件に回答、中央値 {h}時間', en: '{n} answered, median {h} h' },
  detail_title: { ja: '紹介 {id}', en: 'Referral {id}' },
  back: { ja: '一覧に戻る', en: 'Back to the list' },
  timeline: { ja: '状況の履歴', en: 'Status timeline' },
  by: { ja: '{org}による', en: 'by {org}' },
  meta_receiver: { ja: '紹介先', en: 'To' },
  meta_referrer: { ja: '紹介元', en: 'From' },
  meta_department: { ja: '診療科', en: 'Department' },
  meta_languages: { ja: '言語', en: 'Languages' },
  meta_urgency: { ja: '緊急度', en: 'Urgency' },
  meta_chunks: { ja: '暗号文の保管', en: 'Ciphertext at the hub' },
  chunks_kept: { ja: '保管中（受信確認まで）', en: 'kept until the hospital has it all' },
  chunks_deleted: { ja: '{when}に削除（{why}）', en: 'deleted {when} ({why})' },
  why_delivered: { ja: '受信済み', en: 'delivered' },
  why_withdrawn: { ja: '取り下げ', en: 'withdrawn' },
  why_retention: { ja: '保管期間の満了', en: 'retention period over' },
  reports: { ja: '返送されたセカンドオピニオン', en: 'Second opinions returned' },
  answers: { ja: 'この紹介へのセカンドオピニオンの返送です: {id}', en: 'This returns a second opinion for referral {id}' },
  price_band: { ja: '{min}〜{max}', en: '{min} to {max}' },
  earliest: { ja: '最短 {d}', en: 'earliest {d}' },
  reason: { ja: '理由: {r}', en: 'reason: {r}' },
  report_id: { ja: '報告書 {id}', en: 'report {id}' },
  visit_on: { ja: '受診日 {d}', en: 'visit {d}' },
  urgency_routine: { ja: '通常', en: 'routine' },
  urgency_urgent: { ja: '至急', en: 'urgent' },
  urgency_emergency: { ja: '緊急', en: 'emergency' },
  state_sending: { ja: '送信中', en: 'sending' },
  state_sent: { ja: '送信済み', en: 'sent' },
  state_delivered: { ja: '受信済み', en: 'delivered' },
  state_acknowledged: { ja: '受付', en: 'acknowledged' },
  state_declined: { ja: '辞退', en: 'declined' },
  state_quote: { ja: '見積り', en: 'quote' },
  state_opinion_returned: { ja: 'セカンドオピニオン返送', en: 'second opinion returned' },
  state_visit_scheduled: { ja: '来院予定', en: 'visit scheduled' },
  state_visited: { ja: '来院済み', en: 'visited' },
  state_withdrawn: { ja: '取り下げ', en: 'withdrawn' },
};

// tr(key, vars): the words of this page in the reader's language, else
// English, else i18n.js's t().
export function tr(key, vars = {}) {
  const e = REFERRAL_DICT[key];
  if (!e) return t(key, vars);
  const s = e[getLang()] ?? e.en;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

// stateName(s): a referral state in words.
export const stateName = (s) => (REFERRAL_DICT[`state_${s}`] ? tr(`state_${s}`) : s);

// A byte count in B, KB, MB or GB (powers of 1024, as the spoke reports).
export function bytes(n) {
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = Number(n) || 0, i = 0;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${num(v, i ? 1 : 0)} ${u[i]}`;
}

// An organisation: its name in the reader's language where listed, and
// its code.
function org(code, names) {
  const n = names && (getLang() === 'ja' ? names.ja || names.en : names.en || names.ja);
  return n ? [n, h('br'), h('small', { class: 'muted' }, code)] : h('code', {}, code);
}

const hoursText = (x) => (x === null || x === undefined ? '—' : tr('hours', { n: num(x, 1) }));

async function list(ctx, hospital) {
  const off = Math.max(0, Math.floor(Number(ctx.params.get('offset')) || 0));
  const b = await api('/api/v1/referrals', { limit: PAGE, offset: off || null });
  if (!b.referrals.length)
    return h('p', { class: 'empty', id: 'referrals-none' }, tr(hospital ? 'none_received' : 'none_sent'));
  const heads = [hospital ? tr('col_referrer') : tr('col_hospital'), tr('col_purpose'), tr('col_nationality'),
    tr('col_age_band'), tr('col_size'), tr('col_sent'), tr('col_status'), tr('col_first_answer')];
  const page = (o) => `#/referrals${o > 0 ? `?offset=${o}` : ''}`;
  const out = [h('div', { class: 'table-wrap' }, h('table', { id: 'table-referrals' },
    h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, b.referrals.map((r) => h('tr', { 'data-referral': r.referral_id, 'data-state': r.state },
      h('th', { scope: 'row' },
        h('a', { href: `#/referrals/${r.referral_id}`, class: 'referral-link' },
          hospital ? org(r.referrer, r.referrer_name) : org(r.receiver, r.receiver_name))),
      h('td', {}, purposeName(r.purpose), r.answers_referral_id ? [h('br'), h('small', { class: 'muted' }, tr('reports'))] : null),
      h('td', {}, r.nationality ? countryName(r.nationality) : '—'),
      h('td', {}, r.age_band ? ageBandName(r.age_band) : '—'),
      h('td', { class: 'num' }, bytes(r.package_bytes)),
      h('td', {}, when(r.sent_at)),
      h('td', { class: `state state-${r.state}` }, stateName(r.state)),
      h('td', { class: 'num' }, hoursText(r.first_answer_hours)))))))];
  out.push(h('p', { class: 'hint', id: 'referrals-count' },
    tr('n_of_total', { from: num(off + 1), to: num(off + b.referrals.length), total: num(b.total) })));
  if (b.total > PAGE)
    out.push(h('nav', { class: 'pager', 'aria-label': tr('n_of_total', { from: off + 1, to: off + b.referrals.length, total: b.total }) },
      off > 0 ? h('a', { class: 'button', rel: 'prev', href: page(Math.max(0, off - PAGE)) }, t('prev')) : null,
      off + PAGE < b.total ? h('a', { class: 'button', rel: 'next', href: page(off + PAGE) }, t('next')) : null));
  if (b.response_times?.length)
    out.push(h('section', { class: 'card', id: 'response-times' }, h('h2', {}, tr('response_times')),
      h('ul', {}, b.response_times.map((x) => h('li', { 'data-code': x.hospital },
        h('code', {}, x.hospital), ' ', tr('answered_n', { n: num(x.answered), h: num(x.median_hours, 1) }))))));
  return out;
}

// referralsPage(ctx): the list, by the caller's role.
export async function referralsPage(ctx) {
  const role = ctx.session?.role;
  if (role === 'ministry') {
    ctx.root.append(h('h1', {}, tr('sent_title')), h('p', { class: 'intro' }, tr('ministry_note')));
    return;
  }
  const hospital = role === 'hospital';
  const out = h('section', { class: 'referrals-area', 'aria-busy': 'true' }, loading());
  ctx.root.append(...[h('h1', {}, tr(hospital ? 'inbox_title' : 'sent_title')),
    h('p', { class: 'intro' }, tr(hospital ? 'inbox_intro' : 'sent_intro')),
    hospital ? h('p', { class: 'note', id: 'open-at-spoke', role: 'note' }, tr('inbox_note')) : null,
    out].filter(Boolean));
  await fill(out, list(ctx, hospital));
  out.setAttribute('aria-busy', 'false');
}

// What a status carried, in words.
function statusDetail(s) {
  const d = [];
  if (s.reason_code) d.push(tr('reason', { r: s.reason_code }));
  if (s.price_min_jpy !== null && s.price_min_jpy !== undefined)
    d.push(tr('price_band', { min: yen(s.price_min_jpy), max: yen(s.price_max_jpy) }));
  if (s.earliest_date) d.push(tr('earliest', { d: s.earliest_date }));
  if (s.report_referral_id) d.push(h('a', { href: `#/referrals/${s.report_referral_id}` }, tr('report_id', { id: s.report_referral_id.slice(0, 8) })));
  if (s.visit_date) d.push(tr('visit_on', { d: s.visit_date }));
  return d.flatMap((x, i) => (i ? [' · ', x] : [x]));
}

async function detail(ctx, id) {
  const b = await api(`/api/v1/referrals/${id}`);
  const r = b.referral;
  const dl = (pairs) => h('dl', { class: 'facts' }, pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const why = r.chunks_deleted_reason ? tr(`why_${r.chunks_deleted_reason}`) : '';
  return [
    h('section', { class: 'card', id: 'referral-meta' }, dl([
      [tr('meta_referrer'), org(r.referrer, r.referrer_name)],
      [tr('meta_receiver'), org(r.receiver, r.receiver_name)],
      [tr('col_purpose'), purposeName(r.purpose)],
      r.department ? [tr('meta_department'), departmentName(r.department)] : null,
      [tr('col_nationality'), r.nationality ? countryName(r.nationality) : '—'],
      [tr('col_age_band'), r.age_band ? ageBandName(r.age_band) : '—'],
      [tr('meta_languages'), r.languages?.length ? r.languages.map(languageName).join(', ') : '—'],
      [tr('meta_urgency'), r.urgency ? tr(`urgency_${r.urgency}`) : '—'],
      [tr('col_size'), bytes(r.package_bytes)],
      [tr('col_status'), h('strong', { class: `state state-${r.state}`, id: 'referral-state' }, stateName(r.state))],
      [tr('col_first_answer'), hoursText(r.first_answer_hours)],
      [tr('meta_chunks'), r.chunks_deleted_at ? tr('chunks_deleted', { when: when(r.chunks_deleted_at), why }) : tr('chunks_kept')],
      r.answers_referral_id ? [tr('reports'), h('a', { href: `#/referrals/${r.answers_referral_id}` }, tr('answers', { id: r.answers_referral_id }))] : null,
    ])),
    h('section', { class: 'card', id: 'referral-timeline' }, h('h2', {}, tr('timeline')),
      h('ol', { class: 'timeline' }, b.statuses.map((s) => h('li', { 'data-state': s.state },
        h('strong', {}, stateName(s.state)), ' ',
        h('span', { class: 'muted' }, tr('by', { org: s.by })), ' · ',
        h('time', { datetime: s.at }, when(s.at)),
        s.price_min_jpy !== null || s.reason_code || s.earliest_date || s.report_referral_id || s.visit_date
          ? [h('br'), h('span', { class: 'status-detail' }, statusDetail(s))] : null)))),
    b.reports.length ? h('section', { class: 'card', id: 'referral-reports' }, h('h2', {}, tr('reports')),
      h('ul', {}, b.reports.map((x) => h('li', {}, h('a', { href: `#/referrals/${x}` }, h('code', {}, x)))))) : null,
  ].filter(Boolean);
}

// referralPage(ctx): one referral (ctx.match[1] is its id).
export async function referralPage(ctx) {
  const id = ctx.match[1];
  const hospital = ctx.session?.role === 'hospital';
  const out = h('section', { class: 'referral-area', 'aria-busy': 'true' }, loading());
  ctx.root.append(...[h('p', {}, h('a', { href: '#/referrals', id: 'referrals-back' }, `← ${tr('back')}`)),
    h('h1', {}, tr('detail_title', { id: id.slice(0, 8) })),
    hospital ? h('p', { class: 'note', role: 'note' }, tr('inbox_note')) : null,
    out].filter(Boolean));
  await fill(out, detail(ctx, id));
  out.setAttribute('aria-busy', 'false');
}
