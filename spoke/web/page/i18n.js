// The spoke page's words in Japanese and English ([ja, en]).  Code lists
// (prefectures, treatments, departments, languages, countries, purposes,
// sexes, accreditations) come from the hub's generated /ui/codes.js, served
// from the installed web folder: written once, in deploy/data.
import {
  ACCREDITATIONS, CODE_NAMES, DEPARTMENTS, PREFECTURES, PURPOSES, REFERRAL_CHANNELS,
  SERVICES_EXTRA, SEXES, TREATMENTS,
} from '/ui/codes.js';

const DICT = {
  app_name: ['インバウンド医療データ交換', 'Inbound Exchange'],
  app_sub: ['自院の端末（院内）', 'This hospital\'s spoke (inside the hospital)'],
  skip: ['本文へ移動', 'Skip to content'],
  lang_label: ['表示言語', 'Language'],
  logout: ['ログアウト', 'Sign out'],
  nav: ['メインメニュー', 'Main menu'],
  nav_listing: ['掲載情報', 'Listing'],
  nav_report: ['月次報告', 'Monthly report'],
  nav_status: ['送信状況', 'Status'],
  nav_referrals: ['紹介', 'Referrals'],
  signed_in_as: ['ログイン中：', 'Signed in as '],
  loading: ['読み込み中…', 'Loading…'],
  error: ['エラー', 'Error'],
  signin_title: ['ログイン', 'Sign in'],
  signin_intro: ['この端末の管理者が作成したアカウント名、パスワード、認証アプリの6桁のコードを入力してください。',
    'Enter the account name, the password and the 6-digit code of your authenticator app; the spoke\'s administrator made the account.'],
  login_name: ['アカウント名', 'Account name'],
  password: ['パスワード', 'Password'],
  totp: ['認証コード（6桁）', 'Code (6 digits)'],
  totp_hint: ['認証アプリに表示される6桁の数字', 'The 6 digits your authenticator app shows'],
  signin_button: ['ログイン', 'Sign in'],
  signin_checking: ['確認中…', 'Checking…'],
  signin_failed: ['アカウント名、パスワードまたはコードが違います。', 'Wrong account name, password or code.'],
  signin_locked: ['ログインの失敗が多すぎます。{s}秒後にもう一度お試しください。', 'Too many failed sign-ins. Try again in {s} seconds.'],
  signin_need_code: ['認証アプリの6桁のコードを入力してください。', 'Enter the 6-digit code from your authenticator app.'],
  session_ended: ['セッションが終了しました。もう一度ログインしてください。', 'Your session ended; please sign in again.'],

  listing_title: ['掲載情報の編集', 'Edit the listing'],
  listing_intro: ['全国の医療機関リストに掲載される自院の情報です。「確認」で入力内容を検査し、「公開」で署名して送信キューに入れます（エージェントがハブに送ります）。',
    'What the national hospital list shows about this hospital. "Check" tests the form; "Publish" signs it and queues it in the outbox (the agent sends it to the hub).'],
  coordinator_intro: ['コーディネーターの掲載情報（JSON）です。「確認」で検査し、「公開」で署名して送信キューに入れます。',
    'The coordinator listing, as JSON. "Check" tests it; "Publish" signs it and queues it in the outbox.'],
  g_identity: ['基本情報', 'Basic information'],
  g_names: ['他言語の名称', 'Names in other languages'],
  g_place: ['所在地', 'Location'],
  g_care: ['診療内容', 'Care'],
  g_patients: ['外国人患者の受入れ', 'Foreign patients'],
  g_prices: ['料金の目安', 'Price bands'],
  g_contact: ['連絡先', 'Contact'],
  f_organisation_code: ['医療機関コード', 'Organisation code'],
  f_name_ja: ['名称（日本語）', 'Name (Japanese)'],
  f_name_en: ['名称（英語）', 'Name (English)'],
  f_name_en_source: ['英語名称の出典', 'Source of the English name'],
  src_registered: ['自院の正式英語名', 'Our registered English name'],
  src_transliteration: ['ローマ字表記', 'Transliteration'],
  f_name_ja_latn: ['名称（ローマ字）', 'Name (romaji)'],
  f_prefecture: ['都道府県', 'Prefecture'],
  f_postal_code: ['郵便番号（7桁、ハイフンなし）', 'Postal code (7 digits, no hyphen)'],
  f_address: ['住所', 'Address'],
  f_address_latn: ['住所（ローマ字）', 'Address (romaji)'],
  f_lat: ['緯度', 'Latitude'],
  f_lon: ['経度', 'Longitude'],
  f_geocode_level: ['位置の精度', 'How the location was found'],
  geo_official: ['公式の座標', 'Official coordinates'],
  geo_town: ['町丁目の代表点', 'Town point'],
  geo_municipality: ['市区町村役場', 'Municipal office'],
  f_beds: ['病床数', 'Beds'],
  f_departments: ['診療科', 'Departments'],
  f_treatments: ['対応できる治療・検査', 'Treatments'],
  f_languages: ['対応言語', 'Languages served'],
  f_accepts_countries: ['受入れ国・地域', 'Patients\' countries received'],
  f_receives: ['外国人患者の受入れ', 'Receives foreign patients'],
  f_remote_second_opinion: ['遠隔セカンドオピニオンに対応', 'Gives remote second opinions'],
  f_accreditations: ['認証', 'Accreditations'],
  f_scheme: ['認証制度', 'Scheme'],
  f_expires: ['有効期限', 'Expires'],
  f_service: ['サービス', 'Service'],
  f_min_jpy: ['下限（円）', 'From (JPY)'],
  f_max_jpy: ['上限（円）', 'To (JPY)'],
  f_website: ['ウェブサイト', 'Website'],
  f_email: ['国際対応窓口のメール', 'International desk e-mail'],
  f_phone: ['国際対応窓口の電話', 'International desk phone'],
  f_confirmed_at: ['最終確認日', 'Last confirmed'],
  not_said: ['未回答', 'Not said'],
  add: ['追加', 'Add'],
  remove: ['削除', 'Remove'],
  filter: ['絞り込み', 'Filter'],
  check: ['確認', 'Check'],
  publish: ['公開', 'Publish'],
  confirm_unchanged: ['変更なしで確認', 'Confirm unchanged'],
  check_ok: ['問題はありません。', 'No problems found.'],
  check_problems: ['{n}件の問題があります。各項目の下をご覧ください。', '{n} problems: see the marked fields.'],
  published_ok: ['署名して送信キューに入れました。まもなくハブに反映されます。', 'Signed and queued in the outbox; the hub will show it shortly.'],
  confirmed_ok: ['変更なしで確認しました（最終確認日を更新）。', 'Confirmed unchanged (the last-confirmed date is today).'],
  changes: ['ハブに公開中の版との違い', 'Changes against the version the hub publishes'],
  no_changes: ['公開中の版から変更はありません。', 'No change from the published version.'],
  no_published: ['ハブが受理した版はまだありません。', 'The hub has not accepted a version yet.'],
  pub_waiting: ['最新の版はハブの受理待ちです（エージェントが送信中）。', 'The newest version is waiting for the hub (the agent is sending it).'],
  pub_refused: ['最新の版はハブに拒否されました：{reason}', 'The newest version was refused by the hub: {reason}'],
  acked: ['ハブが受理した最新版：第{v}版（{at}）', 'Latest version the hub accepted: version {v} ({at})'],
  field: ['項目', 'Field'],
  before: ['公開中', 'Published'],
  after: ['変更後', 'New'],
  w_stale: ['掲載情報が{d}日間確認されていません（365日で「古い情報」になります）。内容を確認し、「変更なしで確認」または「公開」を押してください。',
    'The listing was last confirmed {d} days ago (it is stale after 365). Check it and press "Confirm unchanged" or "Publish".'],
  w_stale_soon: ['最終確認から{d}日経ちました。あと{left}日で「古い情報」になります。', 'Last confirmed {d} days ago: it goes stale in {left} days.'],
  w_never: ['掲載情報はまだ確認されていません。', 'The listing has never been confirmed.'],
  w_acc_expiring: ['{scheme}の認証はあと{left}日で期限切れになります。', 'The {scheme} accreditation expires in {left} days.'],
  w_acc_expired: ['{scheme}の認証は期限切れです。', 'The {scheme} accreditation has expired.'],
  yes: ['はい', 'Yes'],
  no: ['いいえ', 'No'],

  report_title: ['月次報告', 'Monthly report'],
  report_intro: ['病院システムから書き出した症例データ（CSV）を選んでください。個人を特定する情報は院外に出ません。送信されるのは下の集計表だけです。',
    'Choose the case-record export (CSV) of the hospital system. Nothing that identifies a patient leaves the hospital: only the table below is sent.'],
  period: ['報告月', 'Month reported'],
  file: ['症例データ（CSV）', 'Case-record export (CSV)'],
  check_file: ['ファイルを確認', 'Check the file'],
  sjis_found: ['このファイルはShift_JISのようです。UTF-8に変換して読み込みますか？先頭部分：', 'This file looks like Shift_JIS. Convert it to UTF-8 and read it? Its first lines:'],
  convert: ['変換して確認', 'Convert and check'],
  encoding: ['文字コード', 'Encoding'],
  rows_summary: ['{rows}行：この月{in}件、他の月{other}件、エラー{bad}行', '{rows} rows: {in} of this month, {other} of other months, {bad} with errors'],
  row_errors: ['エラーのある行', 'Rows with errors'],
  line: ['行', 'Line'],
  column: ['列', 'Column'],
  message: ['内容', 'Problem'],
  file_problems: ['ファイルの問題', 'Problems with the file'],
  header_title: ['列名の対応表', 'Your system\'s column names'],
  header_intro: ['報告に必要な列が見つかりません。ファイルのどの列がそれに当たるか選んでください。', 'Columns the report needs are missing: choose which of the file\'s columns holds each.'],
  their_header: ['ファイルの列名', 'The file\'s column'],
  map_title: ['病院システムの用語の対応表', 'Your system\'s words'],
  map_intro: ['エラーの列にある値を、報告の用語に対応づけると、次回からそのまま読み込めます。', 'Map the values of the columns with errors to ours; the next file is read with them.'],
  map_save: ['対応表に保存して再確認', 'Save to the map and check again'],
  map_leave: ['（そのまま）', '(leave as is)'],
  preview_title: ['院外に送信される内容（集計表）', 'What would leave the hospital (the cells)'],
  send: ['報告を送信', 'Send the report'],
  send_nil: ['この月は外国人患者なし（ゼロ報告）', 'No foreign patients this month (nil report)'],
  sent_ok: ['報告を送信キューに入れました。エージェントがハブに送ります。', 'The report is queued in the outbox; the agent sends it to the hub.'],
  nil_ok: ['ゼロ報告を送信キューに入れました。', 'The nil report is queued.'],
  not_ok: ['エラーを直すまで送信できません（この月以外の行も含められません）。', 'It cannot be sent until the errors are fixed (and every row must be of this month).'],
  c_nationality: ['国籍', 'Nationality'],
  c_purpose: ['目的', 'Purpose'],
  c_icd10: ['ICD-10', 'ICD-10'],
  c_age: ['年齢', 'Age'],
  c_sex: ['性別', 'Sex'],
  c_channel: ['紹介経路', 'Referral'],
  c_patients: ['患者数', 'Patients'],
  c_episodes: ['受診件数', 'Episodes'],
  c_charge: ['診療費（円）', 'Charges (JPY)'],

  status_title: ['送信状況', 'Status'],
  pending: ['送信待ち', 'Waiting to be sent'],
  next_report: ['次の月次報告', 'Next monthly report'],
  next_report_text: ['{p}分（期限 {due}）', '{p} (due {due})'],
  last_error: ['直近のエラー', 'Last error'],
  acks: ['ハブが受理した送信', 'What the hub accepted'],
  rejected: ['ハブが拒否した送信', 'What the hub refused'],
  none: ['なし', 'none'],
  when: ['日時', 'When'],
  what: ['内容', 'What'],
  p_listing: ['掲載情報', 'Listing'],
  p_stats: ['月次報告', 'Monthly report'],
  version_n: ['第{v}版', 'version {v}'],
  sequence: ['番号', 'Sequence'],
  reason: ['理由', 'Reason'],
};

// The reasons of the listing's rules (proto/domain, proto/wire's listing
// reader, spoke/web's own) and of the case records' rows
// (spoke/anonymise/cases_row.c), by their stable code (ibx_problems_addc),
// in Japanese; {0}, {1} ... are the problem's values in order.  English is
// the problem's own message, as the command line prints it.  Every code the
// C code emits must be here: tests/unit/problem_codes.sh checks it.
export const PROBLEMS = {
  // referrals (web_referral.c)
  hub_unreachable: 'ハブから応答がありません（送信キューに残り、エージェントが後で送ります）：{0}',
  hub_refused: '受け付けられませんでした：{0}',
  referral_id: '32桁の16進数（小文字）にしてください',
  file_name: 'ファイル名を読み取れません',
  file_twice: 'ファイル「{0}」が2回指定されています',
  file_store: 'ファイルを保存できません',
  upload_form: 'フォームを multipart/form-data で送ってください',
  // listings
  required: '入力が必要です',
  too_long: '{0}バイトを超えています',
  not_utf8: 'UTF-8の文字列ではありません',
  too_many: '{0}件を超えています',
  unknown_code: '{1} は一覧にないコードです',
  repeated: '「{0}」が重複しています（[{1}] と同じ）',
  url_scheme: 'http:// または https:// で始めてください',
  url_no_host: 'ホスト名がありません',
  url_space: '空白または制御文字が含まれています',
  not_email: 'メールアドレスの形式ではありません',
  email_query: 'アドレスは1つだけ書いてください（「{0}」はmailto:リンクに隠れた宛先やヘッダーを加えてしまいます）',
  phone_chars: '数字、空白、+ - ( ) だけが使えます',
  lat_outside: '{0} は日本の範囲外です（北緯20〜46度）',
  lon_outside: '{0} は日本の範囲外です（東経122〜154度）',
  unknown_scheme: '不明な認証制度です（JMIP、JIH、JCIのいずれか）',
  not_date: 'YYYY-MM-DD形式の日付ではありません',
  unknown_service: '不明なサービスです（治療コード、consultation または second_opinion）',
  price_negative: '金額は0以上にしてください',
  price_min_over_max: '下限 {0} 円が上限 {1} 円を上回っています',
  price_too_high: '上限が {0} 円を超えています',
  org_code_form: '10桁の数字（都道府県コード、1、医療機関コード）にしてください',
  digits_10: '10桁の数字にしてください',
  unknown_prefecture: '不明な都道府県コードです（JIS X 0401、01〜47）',
  org_code_prefecture: '都道府県コード {0} で始まっていません',
  postal_code_form: 'ハイフンなしの7桁の数字にしてください',
  beds_range: '0〜{0}の範囲にしてください',
  one_of: '次のいずれかにしてください：{0}',
  needs_name_en: '名称（英語）がないのに指定されています',
  needs_location: '位置（緯度・経度）がないのに指定されています',
  not_this_organisation: '{0} はこの端末の医療機関（{1}）ではありません',
  not_string: '文字列にしてください',
  nul_char: 'NUL文字が含まれています',
  not_string_array: '文字列の配列にしてください',
  unknown_field: '不明な項目です',
  not_object: 'オブジェクトにしてください',
  not_number: '数値にしてください',
  not_array: '配列にしてください',
  not_jpy: '円の整数にしてください',
  schema_version: '1にしてください',
  not_count: '0以上の整数にしてください',
  not_bool: 'true または false にしてください',
  file_too_large: 'ファイルが{0}バイトを超えています',
  not_json: 'JSONではありません：{0}行{1}列：{2}',
  not_json_object: 'JSONオブジェクトにしてください',
  cannot_open: '{0} を開けません：{1}',
  // case-record rows ({v}: the value refused, quoted)
  row_date: '{v} は日付ではありません（YYYY-MM-DD形式、実在する日、1900〜2999年）',
  row_count: '{v} は0〜{0}の整数ではありません（数字のみ）',
  row_word: '{v} は使えない値です（{0}）',
  row_icd10_unknown: '{v} は既知のICD-10分類ではありません（{0} はICD-10-CM 2025にありません）',
  row_icd10_form: '{v} はICD-10コードではありません（英字1文字、数字、数字または英字、その後に最大4文字：C16、C16.9）',
  row_too_long: '{0}バイトを超えています',
  row_nationality: '{v} はISO 3166-1の2文字または3文字の国コードではありません（CN、CHN）',
  row_age: '{v} は0〜{0}歳の整数ではありません',
  row_charge: '{v} は0〜{0}円の整数ではありません（数字のみ、桁区切りなし）',
  row_birth_after_visit: '生年月日 {0} が初診日（first_visit） {1} より後です',
  row_age_over: '生年月日 {0} では初診日（first_visit） {2} に{1}歳となり、{3}歳を超えます',
  row_discharge_before_visit: '退院日 {0} が初診日（first_visit） {1} より前です',
  row_days_over_stay: '入院日数 {0} 日が、初診日 {2} から退院日 {3} までの {1} 日を超えています',
  row_org_no_column: 'ファイルにこの列がありません。紹介経路 coordinator にはコーディネーターの10桁の機関コードが必要です',
  row_org_empty: '空欄です。紹介経路 coordinator にはコーディネーターの10桁の機関コードが必要です',
  row_org_form: '{v} は10桁の機関コードではありません',
  row_referral_id_form: '{v} は紹介ID（英小文字と数字の16進32桁、inbound-spoke refer と inbox が表示するもの）ではありません',
  row_referral_no_ledger: '確認できません：この実行は紹介台帳を読んでいません（inbound-spoke stats --state DIR）',
  row_referral_unknown: '{v} はこの機関が送った、または受け取った紹介ではありません（inbound-spoke inbox で一覧と台帳を更新してください）',
  row_sex_empty: '空欄です（不明な場合は unknown と書いてください）',
  row_empty: '空欄です',
  row_fields: '項目が{0}個ありますが、見出し行は{1}個です',
};

// problemText(p): a problem of the spoke ({message, code, args, value})
// in the page's language: Japanese from PROBLEMS by its code, else its
// English message.
export function problemText(p) {
  const ja = lang === 'ja' && p.code ? PROBLEMS[p.code] : undefined;
  if (ja === undefined) return p.message;
  return ja.replace(/\{(\d|v)\}/g, (_, i) => (i === 'v' ? p.value : p.args?.[Number(i)]) ?? '');
}

let lang = (() => {
  const saved = localStorage.getItem('ibx_spoke_lang');
  if (saved === 'ja' || saved === 'en') return saved;
  return (navigator.language || 'en').startsWith('ja') ? 'ja' : 'en';
})();
const index = () => (lang === 'ja' ? 0 : 1);

export const LANGS = [['ja', '日本語'], ['en', 'English']];
export function currentLang() { return lang; }
export function setLang(l) {
  lang = l;
  localStorage.setItem('ibx_spoke_lang', l);
  document.documentElement.lang = l;
}

// t(key, {vars}): the word in the current language, {name} filled in.
export function t(key, vars = {}) {
  const row = DICT[key];
  let s = row ? row[index()] : key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

// Names of codes: CODE_NAMES (ja, en, ... order), else the [code, ja, en]
// rows, else the code.
function coded(list, code, rows = []) {
  const names = CODE_NAMES[list]?.[code];
  if (names) return names[index()];
  const row = rows.find((r) => r[0] === code);
  if (row) return row[1 + index()];
  return code;
}
export const treatmentName = (c) => coded('treatments', c, [...TREATMENTS, ...SERVICES_EXTRA]);
export const departmentName = (c) => coded('departments', c, DEPARTMENTS);
export const prefectureName = (c) => coded('prefectures', c, PREFECTURES);
export const purposeName = (c) => coded('purposes', c, PURPOSES);
export const sexName = (c) => coded('sexes', c, SEXES);
export const channelName = (c) => coded('referral_channels', c, REFERRAL_CHANNELS);
export const accreditationName = (c) => coded('accreditations', c, ACCREDITATIONS);
// Languages and countries beyond our tables: the browser's ICU names.
function icu(type, code) {
  try {
    return new Intl.DisplayNames([lang], { type }).of(code) || code;
  } catch {
    return code;
  }
}
export const languageName = (c) => (CODE_NAMES.languages?.[c] ? coded('languages', c) : icu('language', c));
export const countryName = (c) => (CODE_NAMES.countries?.[c] ? coded('countries', c) : icu('region', c));
