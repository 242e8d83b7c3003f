// Japanese and English labels.  The language is the one chosen with the
// toggle (kept in localStorage), else Japanese when the browser prefers it,
// else English.  Countries and languages are named by the browser's ICU.
import {
  ACCREDITATIONS, AIRPORTS, COORDINATOR_SERVICES, DEPARTMENTS, PREFECTURES, PURPOSES,
  REFERRAL_CHANNELS, SERVICES_EXTRA, SEXES, TREATMENTS,
} from './codes.js';
import { h } from './dom.js';

const DICT = {
  app_name: ['インバウンド医療データ交換', 'Inbound Exchange'],
  app_sub: ['医療インバウンド 全国データ交換', 'National data exchange for medical inbound'],
  skip: ['本文へ移動', 'Skip to content'],
  lang_toggle: ['English', '日本語'],
  lang_toggle_label: ['Switch to English', '日本語に切り替え'],
  logout: ['ログアウト', 'Log out'],
  nav: ['メインメニュー', 'Main menu'],
  nav_dashboard: ['ダッシュボード', 'Dashboard'],
  nav_search: ['医療機関を探す', 'Find hospitals'],
  nav_coordinators: ['コーディネーター', 'Coordinators'],
  nav_mine: ['自院のページ', 'My hospital'],
  role_ministry: ['厚生労働省', 'Ministry'],
  role_coordinator: ['医療コーディネーター', 'Coordinator'],
  role_hospital: ['医療機関', 'Hospital'],
  signed_in_as: ['ログイン中：', 'Signed in as '],
  loading: ['読み込み中…', 'Loading…'],
  error: ['エラー', 'Error'],
  not_available: ['このハブではまだ提供されていません。', 'Not available on this hub yet.'],
  forbidden: ['この役割では表示できません。', 'Your role may not see this.'],
  suppressed: ['10未満', 'under 10'],
  suppressed_title: ['公表されない値（0から9：NDBの公表基準。0と少数は区別しない）',
    'Not published: 0 to 9 (the NDB rule; a zero and a small count look the same)'],
  suppressed_note: ['「10未満」は0から9の値です（0と少数は区別しません）。グラフでは空白になります。',
    '"under 10" marks a value from 0 to 9 (zero and small counts look the same); charts leave a gap.'],
  charts_unavailable: ['グラフ用ライブラリがありません（deploy/install-web.sh を実行してください）。表は下にあります。',
    'The charting library is missing (run deploy/install-web.sh); the tables below have the figures.'],
  none: ['なし', 'none'],
  yes: ['あり', 'yes'],
  no: ['なし', 'no'],
  any: ['指定なし', 'Any'],
  show_table: ['表で見る', 'Show as a table'],

  login_title: ['ログイン', 'Sign in'],
  login_intro: ['管理者から受け取ったアクセストークン（ibx_ で始まる文字列）を貼り付けてください。トークンはこのタブを閉じると消えます。',
    'Paste the access token you were given (it starts with ibx_). It is kept only until this tab is closed.'],
  token: ['アクセストークン', 'Access token'],
  login_button: ['ログイン', 'Sign in'],
  login_checking: ['確認中…', 'Checking…'],
  login_invalid: ['このトークンは無効です（期限切れ・取り消し済みを含む）。', 'This token is not valid (or has expired or been revoked).'],
  login_bad_format: ['トークンは ibx_ で始まります。', 'A token starts with ibx_.'],
  session_ended: ['セッションが無効になりました。もう一度ログインしてください。', 'Your session is no longer valid; please sign in again.'],

  search_title: ['受入れ医療機関を探す', 'Find a receiving hospital'],
  search_intro: ['掲載情報と過去12か月の受入れ実績から順位を付けます。順位は医療機関の支払いに一切左右されません。',
    'Hospitals are ranked from their listings and their last 12 months of reported patients. Nothing a hospital pays for changes the order.'],
  filters: ['検索条件', 'Search filters'],
  f_q: ['医療機関名', 'Hospital name'],
  f_treatment: ['治療・検査', 'Treatment'],
  f_department: ['診療科', 'Department'],
  f_language: ['対応言語', 'Language'],
  f_nationality: ['患者の国籍', "Patient's nationality"],
  f_accepts: ['この国の患者を受け入れる医療機関のみ', 'Only hospitals that receive patients from this country'],
  f_purpose: ['渡航目的', 'Purpose of the visit'],
  f_prefecture: ['都道府県', 'Prefecture'],
  f_accreditation: ['認証', 'Accreditation'],
  f_remote: ['遠隔セカンドオピニオン対応', 'Remote second opinion'],
  f_near: ['到着空港からの距離', 'Near the arrival airport'],
  f_as_of: ['時点（過去の掲載内容で検索）', 'As of (search past listings)'],
  search_button: ['検索', 'Search'],
  reset: ['条件をクリア', 'Clear'],
  results: ['検索結果', 'Results'],
  n_hospitals: ['{n}件の医療機関', '{n} hospitals'],
  n_hospital: ['{n}件の医療機関', '{n} hospital'],
  showing: ['{from}〜{to}件目を表示', 'Showing {from} to {to}'],
  prev: ['前へ', 'Previous'],
  next: ['次へ', 'Next'],
  rank: ['順位', 'Rank'],
  score: ['スコア', 'Score'],
  why: ['この順位の理由', 'Why it ranks here'],
  experience: ['受入れ実績（過去12か月）', 'Experience (last 12 months)'],
  experience_with: ['{who}の患者', 'patients {who}'],
  distance: ['距離', 'Distance'],
  km: ['{n} km', '{n} km'],
  no_results: ['条件に合う医療機関はありません。条件を減らしてみてください。', 'No hospital matches; try fewer filters.'],
  no_coordinators: ['条件に合うコーディネーターはいません。', 'No coordinator matches; try fewer filters.'],
  flags: ['注意', 'Warnings'],
  stale: ['掲載情報が古い', 'stale listing'],
  details: ['詳細', 'Details'],

  hospital_title: ['医療機関の詳細', 'Hospital'],
  code: ['医療機関コード', 'Organisation code'],
  version: ['版', 'Version'],
  updated_at: ['更新日時', 'Updated'],
  listing: ['掲載情報', 'Listing'],
  prefecture: ['都道府県', 'Prefecture'],
  address: ['所在地', 'Address'],
  location: ['位置', 'Location'],
  beds: ['病床数', 'Beds'],
  departments: ['診療科', 'Departments'],
  treatments: ['治療・検査', 'Treatments'],
  languages: ['対応言語', 'Languages'],
  accreditations: ['認証', 'Accreditations'],
  expires: ['有効期限 {d}', 'valid to {d}'],
  expired: ['期限切れ {d}', 'expired {d}'],
  accepts_countries: ['受入れ国・地域', 'Receives patients from'],
  price_bands: ['料金の目安', 'Price bands'],
  service: ['サービス', 'Service'],
  price_range: ['料金（円）', 'Price (JPY)'],
  remote_second_opinion: ['遠隔セカンドオピニオン', 'Remote second opinion'],
  website: ['ウェブサイト', 'Website'],
  contact: ['国際窓口', 'International contact'],
  confirmed_at: ['最終確認日', 'Last confirmed'],
  field_confirmed: ['項目ごとの確認日', 'Confirmed, field by field'],
  synthetic: ['生成データ（デモ用）', 'Generated for demonstration'],
  synthetic_note: ['次の項目は公開データにないため生成された値です：', 'These fields are generated, not from open data: '],
  other_fields: ['その他の項目', 'Other fields'],
  history: ['掲載履歴', 'Version history'],
  valid_from: ['有効開始', 'Valid from'],
  valid_to: ['有効終了', 'Valid to'],
  current: ['現在', 'current'],
  changed: ['変更された項目', 'Changed fields'],
  first_version: ['初版', 'first version'],
  show_listing: ['この版の掲載内容', 'This version'],
  back_to_results: ['検索結果に戻る', 'Back to the results'],

  coordinators_title: ['医療コーディネーターを探す', 'Find a certified coordinator'],
  coordinators_intro: ['認証を受けた医療渡航支援企業（医療コーディネーター）の掲載情報です。',
    'Listings of certified medical travel-support firms (coordinators).'],
  f_coordinator_name: ['会社名', 'Company name'],
  f_country: ['対応国・地域', 'Country served'],
  f_service: ['サービス', 'Service'],
  n_coordinators: ['{n}件のコーディネーター', '{n} coordinators'],
  certification: ['認証', 'Certification'],
  services: ['サービス', 'Services'],
  countries_served: ['対応国・地域', 'Countries served'],

  dashboard_title: ['ダッシュボード', 'Dashboard'],
  dashboard_intro: ['全国の受入れ状況（開示制御済み）と医療機関の掲載状況です。', 'National figures (under disclosure control) and the hospital list.'],
  kpi_listed: ['掲載医療機関', 'Hospitals listed'],
  kpi_patients: ['報告された患者数（{y}年）', 'Patients reported ({y})'],
  kpi_coverage: ['医療滞在ビザに対する捕捉率（{y}年）', 'Coverage of medical stay visas ({y})'],
  kpi_reporting: ['報告率（{p}）', 'Reporting rate ({p})'],
  by_nationality: ['国籍別の患者数の推移', 'Patients by nationality over time'],
  by_nationality_year: ['国籍別・年別の患者数', 'Patients by nationality and year'],
  by_purpose: ['渡航目的別の患者数', 'Patients by purpose'],
  by_prefecture: ['都道府県別の患者数', 'Patients by prefecture'],
  by_prefecture_table: ['都道府県別：掲載医療機関と患者数', 'By prefecture: hospitals listed and patients'],
  monthly_table: ['月別・国籍別の表', 'Monthly table by nationality'],
  portfolio: ['ポートフォリオ指標', 'Portfolio metrics'],
  listed_by_treatment: ['治療・検査別の掲載医療機関数', 'Hospitals listed by treatment'],
  listed_by_language: ['言語別の掲載医療機関数', 'Hospitals listed by language'],
  listed_by_accreditation: ['有効な認証別の掲載医療機関数', 'Hospitals listed by valid accreditation'],
  charge_per_patient: ['患者1人あたりの診療費（目的別）', 'Charge per patient by purpose'],
  referral: ['紹介経路別の患者数', 'Patients by referral channel'],
  share: ['割合', 'Share'],
  referral_org: ['紹介した認証コーディネーター', 'Referring certified coordinator'],
  partial: ['一部', 'partial'],
  patients_with_visa: ['医療滞在ビザの患者数', 'Patients with a medical stay visa'],
  visa_unknown_share: ['ビザ不明の割合', 'Visa unknown (share)'],
  supply_demand: ['需要と供給（治療目的の患者と対応可能な医療機関）', 'Demand and supply (treatment patients and hospitals able to receive them)'],
  treatment_patients: ['治療目的の患者', 'Treatment patients'],
  hospitals_able: ['対応可能な医療機関', 'Hospitals able'],
  patients_per_hospital: ['1機関あたり患者数', 'Patients per hospital'],
  completeness: ['報告の状況（完全性・適時性）', 'Reporting completeness and timeliness'],
  listed: ['掲載', 'Listed'],
  reported: ['報告あり', 'Reported'],
  nil_reports: ['該当なし報告', 'Nil reports'],
  on_time: ['期限内', 'On time'],
  late: ['期限後', 'Late'],
  missing: ['未報告', 'Missing'],
  reported_pct: ['報告率', 'Reported'],
  visa_coverage: ['医療滞在ビザ発給数との比較（捕捉率）', 'Against medical stay visas issued (coverage ratio)'],
  year: ['年', 'Year'],
  period: ['期間', 'Period'],
  patients: ['患者数', 'Patients'],
  patients_reported: ['報告された患者数', 'Patients reported'],
  visas_issued: ['ビザ発給数', 'Visas issued'],
  coverage_ratio: ['捕捉率', 'Coverage ratio'],
  nationality: ['国籍', 'Nationality'],
  purpose: ['目的', 'Purpose'],
  referral_channel: ['紹介経路', 'Referral channel'],
  hospitals: ['医療機関数', 'Hospitals'],
  language: ['言語', 'Language'],
  treatment: ['治療・検査', 'Treatment'],
  accreditation: ['認証', 'Accreditation'],
  charge: ['診療費', 'Charge'],
  others: ['その他', 'Others'],
  no_data: ['データがありません。', 'No data yet.'],
  disclosure: ['開示制御：{x}', 'Disclosure control: {x}'],

  mine_title: ['自院のページ', 'My hospital'],
  mine_intro: ['自院の掲載情報、統計の提出状況、自院の数値（開示制御なし）です。', 'Your listing, your statistics submissions, and your own figures (not suppressed: they are yours).'],
  org_needed: ['このハブはトークンの医療機関コードを返しません。自院の医療機関コード（10桁）を入力してください。',
    'This hub does not say which hospital the token belongs to; enter your 10-digit organisation code.'],
  org_code: ['医療機関コード（10桁）', 'Organisation code (10 digits)'],
  open: ['表示', 'Open'],
  submissions: ['統計の提出と取込結果', 'Statistics submissions and their import'],
  received_at: ['受信日時', 'Received'],
  nil_report: ['該当なし報告', 'Nil report'],
  cells: ['セル数', 'Cells'],
  imported: ['新規', 'Imported'],
  updated: ['更新', 'Updated'],
  unchanged: ['変更なし', 'Unchanged'],
  deleted: ['削除', 'Deleted'],
  superseded_at: ['置き換え日時', 'Superseded'],
  own_figures: ['自院の患者数（月別・目的別）', 'Your patients by month and purpose'],
  not_listed: ['この医療機関はまだ掲載されていません。', 'This hospital is not listed yet.'],
};

const LANGS = ['ja', 'en'];
let lang = (() => {
  const saved = localStorage.getItem('ibx.lang');
  if (LANGS.includes(saved)) return saved;
  return (navigator.language || '').toLowerCase().startsWith('ja') ? 'ja' : 'en';
})();

export function getLang() {
  return lang;
}

export function setLang(l) {
  lang = LANGS.includes(l) ? l : 'en';
  localStorage.setItem('ibx.lang', lang);
  document.documentElement.lang = lang;
}

// t(key, vars): the label in the current language, {name} replaced.
export function t(key, vars = {}) {
  const e = DICT[key];
  const s = e ? e[lang === 'ja' ? 0 : 1] : key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

const locale = () => (lang === 'ja' ? 'ja-JP' : 'en-GB');

export function num(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(Number(n));
}

export function yen(n) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: 'JPY' }).format(Number(n));
}

export function pct(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(Number(x))) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(Number(x));
}

// A timestamp from the API, in the reader's time zone.
export function when(ts) {
  if (!ts) return '—';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

// value(v, suppressed): a figure, or the word "suppressed" / 秘匿 (never 0)
// when disclosure control withheld it.
export function value(v, suppressed = v === null, fmt = num) {
  if (suppressed || v === null || v === undefined)
    return h('span', { class: 'suppressed', title: t('suppressed_title') }, t('suppressed'));
  return fmt(v);
}

function fromList(list, code) {
  const row = list.find((r) => r[0] === code);
  return row ? row[lang === 'ja' ? 1 : 2] : code;
}

export const treatmentName = (c) => fromList([...TREATMENTS, ...SERVICES_EXTRA], c);
export const purposeName = (c) => fromList(PURPOSES, c);
export const channelName = (c) => fromList(REFERRAL_CHANNELS, c);
export const accreditationName = (c) => fromList(ACCREDITATIONS, c);
export const serviceName = (c) => fromList(COORDINATOR_SERVICES, c);
export const sexName = (c) => fromList(SEXES, c);
export const airportName = (c) => fromList(AIRPORTS, c);
export const prefectureName = (c) => (c === '' ? '—' : fromList(PREFECTURES, c));

export function departmentName(code) {
  const row = DEPARTMENTS.find((r) => r[0] === code);
  if (!row) return code;
  return lang === 'ja' ? row[1] : `${row[1]} (${row[2].replace(/_/g, ' ').replace(/;/g, ', ')})`;
}

const names = {};
function displayNames(type) {
  const key = `${lang}:${type}`;
  if (!(key in names)) {
    try {
      names[key] = new Intl.DisplayNames([locale()], { type });
    } catch {
      names[key] = null;
    }
  }
  return names[key];
}

export function countryName(cc) {
  if (!cc) return '—';
  try {
    return displayNames('region')?.of(cc) || cc;
  } catch {
    return cc;
  }
}

export function languageName(code) {
  try {
    return displayNames('language')?.of(code) || code;
  } catch {
    return code;
  }
}

// Ranking explanations come from the hub in English; they are shown in
// Japanese when the pattern is known, with names for codes either way.
export function reasonText(s) {
  const who = (nat, pur) => {
    const parts = [];
    if (nat) parts.push(countryName(nat));
    if (pur) parts.push(purposeName(pur));
    return parts;
  };
  let m;
  if ((m = /^no foreign patients(?: from ([A-Z]{2}))?(?: for (\w+))? reported in the last 12 months$/.exec(s)))
    return lang === 'ja'
      ? `過去12か月の受入れ報告なし${who(m[1], m[2]).length ? `（${who(m[1], m[2]).join('・')}）` : ''}`
      : `no patients${m[1] ? ` from ${countryName(m[1])}` : ''}${m[2] ? ` for ${purposeName(m[2]).toLowerCase()}` : ''} reported in the last 12 months`;
  if ((m = /^(fewer than \d+|\d+) patients(?: from ([A-Z]{2}))?(?: for (\w+))? in the last 12 (?:released )?months$/.exec(s)))
    return lang === 'ja'
      ? `過去12か月の受入れ：${experienceText(m[1])}${who(m[2], m[3]).length ? `（${who(m[2], m[3]).join('・')}）` : ''}`
      : `${m[1]} patients${m[2] ? ` from ${countryName(m[2])}` : ''}${m[3] ? ` for ${purposeName(m[3]).toLowerCase()}` : ''} in the last 12 months`;
  if ((m = /^listing last confirmed (\d+) days ago \(stale after (\d+)\)$/.exec(s)))
    return lang === 'ja' ? `掲載情報の最終確認は${m[1]}日前（${m[2]}日を過ぎると要確認）` : s;
  if ((m = /^listing confirmed (\d+) days ago$/.exec(s)))
    return lang === 'ja' ? `掲載情報は${m[1]}日前に確認済み` : s;
  if ((m = /^(\w+) accredited(?:, valid to (\d{4}-\d{2}-\d{2}))?$/.exec(s)))
    return lang === 'ja' ? `${m[1]}認証${m[2] ? `（${m[2]}まで有効）` : ''}` : s;
  if (s === 'remote second opinion offered')
    return lang === 'ja' ? '遠隔セカンドオピニオンに対応' : s;
  if ((m = /^(\d+) km from the given point$/.exec(s)))
    return lang === 'ja' ? `指定地点から${m[1]} km` : s;
  return s;
}

// disclosure_control.applied as the hub words it.
export function disclosureText(s) {
  if (lang !== 'ja') return s;
  if (/^release: /.test(s)) return '公表用データ：締めた月ごとに一度だけ離散ガウス雑音で測定（zCDP）、後処理済み。10未満と0は非公表';
  if (/^none: your own figures$/.test(s)) return 'なし（自院の数値）';
  return s;
}

// A listing field's name as a label (synthetic fields, changed fields).
const FIELD_KEYS = { international_contact: 'contact', organisation_code: 'code', name: 'f_q', postal_code: 'address' };
export function fieldName(f) {
  const key = FIELD_KEYS[f] || f;
  return key in DICT ? t(key) : f;
}

export function flagText(s) {
  let m;
  if (s === 'stale listing') return t('stale');
  if ((m = /^accreditation (\w+) expired(?: (\d{4}-\d{2}-\d{2}))?$/.exec(s)))
    return lang === 'ja' ? `${m[1]}認証の期限切れ${m[2] ? `（${m[2]}）` : ''}` : s;
  return s;
}

// "42" or "fewer than 10" as the hub publishes it.
export function experienceText(display) {
  if (display === null || display === undefined || display === '—') return '—';
  const m = /^fewer than (\d+)$/.exec(String(display));
  if (m) return lang === 'ja' ? `${m[1]}人未満` : display;
  return lang === 'ja' ? `${display}人` : String(display);
}

document.documentElement.lang = lang;
