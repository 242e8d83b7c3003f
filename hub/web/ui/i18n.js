// The pages' labels in seven languages: Japanese and English here (DICT,
// [ja, en]), Simplified and Traditional Chinese, Korean, Vietnamese and
// Russian in lang/*.js (one object per language, the same keys).  Code
// lists (treatments, departments, purposes, prefectures, countries,
// languages, ...) come from deploy/data/i18n/*.csv through the generated
// codes.js.  The language is the one picked (kept in localStorage),
// else the browser's preferred one when it is one of the seven, else English.
import {
  ACCREDITATIONS, AIRPORTS, COORDINATOR_SERVICES, DEPARTMENTS, PREFECTURES, PURPOSES,
  REFERRAL_CHANNELS, SERVICES_EXTRA, SEXES, TREATMENTS,
} from './codes.js';
import { h } from './dom.js';
import { CODE_NAMES } from './codes.js';
import ZH_HANS from './lang/zh-Hans.js';
import ZH_HANT from './lang/zh-Hant.js';
import KO from './lang/ko.js';
import VI from './lang/vi.js';
import RU from './lang/ru.js';

const DICT = {
  app_name: ['インバウンド医療データ交換', 'Inbound Exchange'],
  app_sub: ['医療インバウンド 全国データ交換', 'National data exchange for medical inbound'],
  skip: ['本文へ移動', 'Skip to content'],
  lang_label: ['表示言語', 'Language'],
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

  f_within_km: ['半径（km）', 'Within (km)'],
  f_sort: ['並び順', 'Sort by'],
  sort_rank: ['総合スコア順', 'Score'],
  sort_distance: ['距離が近い順', 'Nearest first'],
  sort_price: ['料金が安い順', 'Lowest price first'],
  sort_experience: ['受入れ実績が多い順', 'Most experience first'],
  f_price_service: ['料金を比べるサービス', 'Compare prices for'],
  f_max_price: ['予算の上限（円）', 'Budget up to (JPY)'],
  price: ['料金', 'Price'],
  price_none: ['料金の掲載なし', 'No price listed'],
  price_for: ['{s}：{p}', '{s}: {p}'],
  nearest_airport: ['最寄りの空港', 'Nearest airport'],
  near_summary: ['{place}から{km} km以内', 'Within {km} km of {place}'],
  download_csv: ['CSVでダウンロード', 'Download CSV'],
  map: ['地図', 'Map'],
  map_title: ['検索結果と空港の地図', 'Map of the results and airports'],
  map_note: ['背景は町丁目のある0.1度の区画を都道府県別に塗り分けた簡略地図です（Geolonia 住所データ CC BY 4.0、国土交通省 位置参照情報）。インターネット接続は不要です。',
    'The background shows the 0.1° squares where towns are, coloured by prefecture (Geolonia address data, CC BY 4.0, from MLIT); no internet connection is needed.'],
  map_unavailable: ['地図用ライブラリがありません（deploy/install-web.sh を実行してください）。', 'The map library is missing (run deploy/install-web.sh).'],
  map_hospital: ['医療機関', 'Hospital'],
  map_airport: ['空港', 'Airport'],
  map_searched: ['検索の起点', 'Search centre'],
  score_breakdown: ['スコアの内訳', 'Score breakdown'],
  component: ['要素', 'Factor'],
  weight: ['配点', 'Weight'],
  points: ['得点', 'Points'],
  reason: ['理由', 'Reason'],
  total: ['合計', 'Total'],
  weights_note: ['配点：受入れ実績35、掲載情報の新しさ15、認証15、遠隔セカンドオピニオン10、距離15（空港や地点を指定した場合）、紹介への回答の速さ10（過去90日の中央値。紹介が5件未満なら中間の5点）。順位は医療機関の支払いに左右されません。',
    'Weights: experience 35, freshness 15, accreditation 15, remote second opinion 10, distance 15 (when an airport or point is given), response time to referrals 10 (median over 90 days; a neutral 5 with fewer than 5 referrals). Nothing a hospital pays for changes them.'],
  c_experience: ['受入れ実績', 'Experience'],
  c_freshness: ['掲載情報の新しさ', 'Freshness'],
  c_accreditation: ['認証', 'Accreditation'],
  c_remote_second_opinion: ['遠隔セカンドオピニオン', 'Remote second opinion'],
  c_distance: ['距離', 'Distance'],
  c_response_time: ['紹介への回答の速さ', 'Response time'],
  r_response_h: ['紹介への最初の回答まで中央値{h}時間（過去90日、{n}件）', 'answers referrals in a median of {h} h ({n} referrals, last 90 days)'],
  r_response_d: ['紹介への最初の回答まで中央値{d}日（過去90日、{n}件）', 'answers referrals in a median of {d} days ({n} referrals, last 90 days)'],
  r_response_none: ['過去90日の紹介が{n}件未満のため回答の速さは不明（中間の点）', 'fewer than {n} referrals in the last 90 days: response time not known, counted as neutral'],
  ref_title: ['紹介（医療機関への紹介チャネル）', 'Referrals (the referral channel)'],
  ref_by_month: ['月別の紹介件数', 'Referrals by month'],
  ref_by_purpose: ['目的別（暦年）', 'By purpose (calendar year)'],
  ref_by_nationality: ['国籍別（暦年）', 'By nationality (calendar year)'],
  ref_conversion: ['遠隔セカンドオピニオンから受診へ', 'From remote second opinion to visit'],
  ref_cohort_year: ['紹介の年', 'Year referred'],
  ref_opinions: ['セカンドオピニオンの紹介', 'Second-opinion referrals'],
  ref_visits: ['受診の予定・受診', 'Visit scheduled or made'],
  ref_referrals: ['紹介件数', 'Referrals'],
  ref_note: ['統計と同じ開示管理：締めた月ごとに一度だけ雑音を加えて測定し、紹介元・国籍・年齢階級ごとに月{k}件までを数えます（患者1人の寄与の上限）。10未満は表示しません。セカンドオピニオンは{lag}か月前の紹介について、測定した月の末までの受診を数えます。',
    'Under the same disclosure control as the statistics: each closed month measured once with noise, counting at most {k} referrals per referrer, nationality and age band a month (the bound on one patient). Under 10 is not shown. Second opinions are those referred {lag} months before the month measured, with visits by its end.'],
  rr_title: ['紹介への回答時間（過去{d}日）', 'Response to referrals (last {d} days)'],
  rr_first_answer: ['最初の回答まで（受領・辞退・見積り・セカンドオピニオン）', 'To the first answer (acknowledged, declined, quote or second opinion)'],
  rr_opinion: ['セカンドオピニオンの返送まで', 'To the second opinion returned'],
  rr_median: ['中央値{h}時間（{n}件）', 'median {h} h ({n} referrals)'],
  rr_not_enough: ['{n}件（{min}件未満のため表示しません）', '{n} referrals (fewer than {min}: not shown)'],
  rr_note: ['中央値は{min}件以上の紹介がある場合のみ表示します。1〜2件の中央値は偶然に左右され、個々の症例を特定しうるためです。7日以上回答のない紹介は経過時間で数えます。',
    'A median is shown only when it rests on {min} referrals or more: a median of one or two is noise and could single out one case. A referral unanswered after 7 days counts with its time so far.'],
  r_no_patients: ['過去12か月の受入れ報告なし', 'no patients reported in the last 12 months'],
  r_patients: ['過去12か月の受入れ：{n}', '{n} patients in the last 12 months'],
  r_who: ['（{who}）', ' ({who})'],
  r_stale: ['掲載情報の最終確認は{d}日前（{s}日を過ぎると要確認）', 'listing last confirmed {d} days ago (stale after {s})'],
  r_confirmed: ['掲載情報は{d}日前に確認済み', 'listing confirmed {d} days ago'],
  r_accredited: ['{s}認証', '{s} accredited'],
  r_accredited_to: ['{s}認証（{d}まで有効）', '{s} accredited, valid to {d}'],
  r_remote: ['遠隔セカンドオピニオンに対応', 'remote second opinion offered'],
  r_no_remote: ['遠隔セカンドオピニオンなし', 'no remote second opinion'],
  r_no_accreditation: ['有効な認証なし', 'no valid accreditation'],
  r_km: ['指定地点から{n} km', '{n} km from the given point'],
  r_no_point: ['地点の指定なし', 'no point given'],
  f_expired: ['{s}認証の期限切れ（{d}）', 'accreditation {s} expired {d}'],
  exp_fewer: ['{n}人未満', 'fewer than {n}'],
  exp_n: ['{n}人', '{n}'],
  disc_applied: ['一次秘匿・補完秘匿・セルキー法による攪乱', 'primary and complementary suppression, cell-key perturbation'],
  disc_own: ['なし（自院の数値）', 'none: your own figures'],
  disc_release: ['公表用データ：締めた月ごとに一度だけ離散ガウス雑音で測定（zCDP）、後処理済み。10未満と0は非公表', 'released figures: each closed month measured once with discrete Gaussian noise (zCDP), post-processed; under 10 and zero are not shown'],
  transliterated: ['（ローマ字表記）', '(transliterated)'],
};


// The seven languages: code, the name a reader of it knows it by, the
// locale for numbers and dates.
export const LANGS = [
  ['ja', '日本語', 'ja-JP'], ['en', 'English', 'en-GB'], ['zh-Hans', '简体中文', 'zh-CN'],
  ['zh-Hant', '繁體中文', 'zh-TW'], ['ko', '한국어', 'ko-KR'], ['vi', 'Tiếng Việt', 'vi-VN'],
  ['ru', 'Русский', 'ru-RU'],
];
const CODES = LANGS.map((l) => l[0]);
const EXTRA = { 'zh-Hans': ZH_HANS, 'zh-Hant': ZH_HANT, ko: KO, vi: VI, ru: RU };

// The browser's preferred language among the seven (zh-TW, zh-HK: Traditional).
function preferred() {
  for (const l of navigator.languages || [navigator.language || '']) {
    const x = l.toLowerCase();
    if (x.startsWith('zh')) return /hant|tw|hk|mo/.test(x) ? 'zh-Hant' : 'zh-Hans';
    const base = x.split('-')[0];
    if (CODES.includes(base)) return base;
  }
  return 'en';
}

let lang = (() => {
  const saved = localStorage.getItem('ibx.lang');
  return CODES.includes(saved) ? saved : preferred();
})();
let index = CODES.indexOf(lang);

export function getLang() {
  return lang;
}

export function setLang(l) {
  lang = CODES.includes(l) ? l : 'en';
  index = CODES.indexOf(lang);
  localStorage.setItem('ibx.lang', lang);
  document.documentElement.lang = lang;
}

// The label of key in language l (default: the current one); undefined
// when it has none.
export function label(key, l = lang) {
  const e = DICT[key];
  if (!e) return undefined;
  if (l === 'ja') return e[0];
  if (l === 'en') return e[1];
  return EXTRA[l]?.[key];
}

// Every label key (the browser test checks each language has them all).
export const KEYS = Object.keys(DICT);

// t(key, vars): the label in the current language, {name} replaced; the
// English one when a language lacks it, the key when none has it.
export function t(key, vars = {}) {
  const s = label(key) ?? label(key, 'en') ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

const locale = () => LANGS[index][2];

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

// The name of code in list (a deploy/data/i18n file) in the current
// language; else from the [code, ja, en] rows of codes.js; else the code.
function coded(list, code, rows = []) {
  const names = CODE_NAMES[list]?.[code];
  if (names) return names[index];
  const row = rows.find((r) => r[0] === code);
  if (row) return row[lang === 'ja' ? 1 : 2];
  return code;
}

export const treatmentName = (c) => coded('treatments', c, [...TREATMENTS, ...SERVICES_EXTRA]);
export const purposeName = (c) => coded('purposes', c, PURPOSES);
export const channelName = (c) => coded('referral_channels', c, REFERRAL_CHANNELS);
export const accreditationName = (c) => coded('accreditations', c, ACCREDITATIONS);
export const serviceName = (c) => coded('coordinator_services', c, COORDINATOR_SERVICES);
export const sexName = (c) => coded('sexes', c, SEXES);
export const prefectureName = (c) => (c === '' || c == null ? '—' : coded('prefectures', c, PREFECTURES));
export const departmentGroupName = (g) => coded('department_groups', g);
export const departmentName = (c) => coded('departments', c, DEPARTMENTS);

// An airport: its name in the current language when we translated it, else
// OurAirports' English name (a proper name).
export function airportName(code, english) {
  const names = CODE_NAMES.airports?.[code];
  if (names) return names[index];
  const row = AIRPORTS.find((r) => r[0] === code);
  return row ? row[lang === 'ja' ? 1 : 2] : english || code;
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

// Country and language names: our tables (deploy/data/i18n, from the ISO
// tables), else the browser's ICU.
export function countryName(cc) {
  if (!cc) return '—';
  const names = CODE_NAMES.countries?.[cc];
  if (names) return names[index];
  try {
    return displayNames('region')?.of(cc) || cc;
  } catch {
    return cc;
  }
}

export function languageName(code) {
  const names = CODE_NAMES.languages?.[code];
  if (names) return names[index];
  try {
    return displayNames('language')?.of(code) || code;
  } catch {
    return code;
  }
}

// Ranking explanations come from the hub in English; they are shown in the
// reader's language when the pattern is known, with names for codes.
export function reasonText(s) {
  const who = (nat, pur) => {
    const parts = [];
    if (nat) parts.push(countryName(nat));
    if (pur) parts.push(purposeName(pur));
    return parts.length ? t('r_who', { who: parts.join(' · ') }) : '';
  };
  let m;
  if (s === '') return '';
  if (s.includes('; ')) return s.split('; ').map(reasonText).join('; ');
  if ((m = /^no foreign patients(?: from ([A-Z]{2}))?(?: for (\w+))? reported in the last 12 months$/.exec(s)))
    return t('r_no_patients') + who(m[1], m[2]);
  if ((m = /^(fewer than \d+|\d+) patients(?: from ([A-Z]{2}))?(?: for (\w+))? in the last 12 (?:released )?months$/.exec(s)))
    return t('r_patients', { n: experienceText(m[1]) }) + who(m[2], m[3]);
  if ((m = /^listing last confirmed (\d+) days ago \(stale after (\d+)\)$/.exec(s)))
    return t('r_stale', { d: num(m[1]), s: num(m[2]) });
  if ((m = /^listing confirmed (\d+) days ago$/.exec(s))) return t('r_confirmed', { d: num(m[1]) });
  if ((m = /^(\w+) accredited(?:, valid to (\d{4}-\d{2}-\d{2}))?$/.exec(s)))
    return m[2] ? t('r_accredited_to', { s: m[1], d: m[2] }) : t('r_accredited', { s: m[1] });
  if (s === 'remote second opinion offered') return t('r_remote');
  if (s === 'no remote second opinion') return t('r_no_remote');
  if (s === 'no valid accreditation') return t('r_no_accreditation');
  if (s === 'no point given') return t('r_no_point');
  if ((m = /^(\d+) km from the given point$/.exec(s))) return t('r_km', { n: num(m[1]) });
  if ((m = /^answers referrals in a median of (\d+) h \((\d+) referrals, last 90 days\)$/.exec(s)))
    return t('r_response_h', { h: num(m[1]), n: num(m[2]) });
  if ((m = /^answers referrals in a median of ([\d.]+) days \((\d+) referrals, last 90 days\)$/.exec(s)))
    return t('r_response_d', { d: num(m[1], 1), n: num(m[2]) });
  if ((m = /^fewer than (\d+) referrals in the last 90 days: response time not known, counted as neutral$/.exec(s)))
    return t('r_response_none', { n: num(m[1]) });
  return s;
}

// disclosure_control.applied as the hub words it.
export function disclosureText(s) {
  if (/^release: /.test(s)) return t('disc_release');
  if (/^none: your own figures$/.test(s)) return t('disc_own');
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
    return t('f_expired', { s: m[1], d: m[2] || '' });
  return s;
}

// "42" or "fewer than 10" as the hub publishes it.
export function experienceText(display) {
  if (display === null || display === undefined || display === '—') return '—';
  const m = /^fewer than (\d+)$/.exec(String(display));
  if (m) return t('exp_fewer', { n: num(m[1]) });
  return t('exp_n', { n: num(display) });
}

document.documentElement.lang = lang;
