// The words of the saved searches, the dashboard's period picker,
// drill-down and late-or-missing list, CSV downloads, printing, and a
// hospital's own months (issue 17): Japanese and English here, the other
// five languages of the pages in lang/hubweb_more.js (a native reviewer
// should read those).  Kept apart from i18n.js and i18n_account.js so
// that the three grow without conflict; tw() falls back to English, then
// to i18n.js's t().
import { getLang, t } from './i18n.js';
import MORE from './lang/hubweb_more.js';

const MORE_LANGS = ['zh-Hans', 'zh-Hant', 'ko', 'vi', 'ru'];

// key: [ja, en].  {name} is replaced by tw()'s vars.
export const HUBWEB_DICT = {
  saved_searches: ['保存した検索条件', 'Saved searches'],
  save_search: ['この条件を保存', 'Save this search'],
  save_name: ['名前', 'Name'],
  save_button: ['保存', 'Save'],
  saved_none: ['保存した検索条件はまだありません。', 'No saved searches yet.'],
  saved_run: ['実行', 'Run'],
  saved_delete: ['削除', 'Delete'],
  saved_exists: ['同じ名前の検索条件があります。', 'You already have a search of this name.'],
  saved_only_people: ['検索条件の保存はパスワードでログインした方のみ使えます。', 'Saving searches needs a sign-in with a password.'],
  saved_ok: ['「{name}」を保存しました。', 'Saved "{name}".'],

  period_picker: ['期間', 'Period'],
  grain: ['期間の単位', 'Grain'],
  grain_month: ['月', 'Month'],
  grain_quarter: ['四半期', 'Quarter'],
  grain_fiscal_year: ['年度（4月〜3月）', 'Fiscal year (April–March)'],
  grain_year: ['暦年', 'Calendar year'],
  pick_year: ['年', 'Year'],
  pick_month: ['月', 'Month'],
  apply: ['表示', 'Show'],
  calendar_only: ['期間は暦の単位（月・四半期・年度・暦年）でのみ選べます。任意の期間は開示制御のため提供しません。',
    'Periods are calendar grains only (month, quarter, fiscal or calendar year): arbitrary windows are not offered, by disclosure control.'],
  selected_period: ['選択した期間：{p}', 'Period shown: {p}'],
  fy: ['{y}年度', 'FY{y}'],

  drill_title: ['地域・都道府県・医療機関別の患者数', 'Patients by region, prefecture and hospital'],
  drill_all: ['全国', 'All Japan'],
  region: ['地域', 'Region'],
  hospital_col: ['医療機関', 'Hospital'],
  drill_regions_note: ['地域の値は、公表された都道府県の値（10以上）の合計です。', 'A region\'s figure is the sum of its published prefecture figures (10 and over).'],
  drill_hospitals_note: ['医療機関ごとの値は保護された公表値（差分プライバシーの雑音を加えた医療機関別の値）で、10未満は表示しません。合計は都道府県の値と一致しないことがあります。',
    'Each hospital\'s figure is from the protected release (the hospital table, with differential-privacy noise), under the rule that nothing under 10 is shown; their sum may differ from the prefecture\'s figure.'],
  drill_hidden: ['この都道府県に掲載されている他の {n} 医療機関は、値が10未満（0を含む）のため表示しません。',
    '{n} more hospitals listed in this prefecture have a figure under 10 (zero included) and are not shown.'],
  drill_coordinator: ['医療機関別の値は厚生労働省のみ表示できます。', 'Per-hospital figures are for the ministry only.'],
  open_prefecture: ['{p}の医療機関', 'Hospitals in {p}'],

  late_missing: ['遅延・未報告の医療機関', 'Late and missing hospitals'],
  late_missing_note: ['報告したかどうかと日時のみを示します（患者数は含みません）。連絡先は各医療機関の公開掲載情報です。',
    'This shows only whether and when a hospital reported, never its counts; contacts are the hospitals\' public listings.'],
  status: ['状況', 'Status'],
  status_late: ['遅延', 'Late'],
  status_missing: ['未報告', 'Missing'],
  status_on_time: ['期限内', 'On time'],
  contact: ['連絡先', 'Contact'],
  deadline: ['期限：{d}', 'Deadline: {d}'],
  n_of_total: ['{from}〜{to}件目（全{total}件）', '{from}–{to} of {total}'],
  none_late: ['遅延・未報告の医療機関はありません。', 'No hospital is late or missing.'],

  download_table_csv: ['CSVで保存', 'Download CSV'],
  print: ['印刷', 'Print'],
  data_as_of: ['データ時点：{d}', 'Data as of {d}'],
  release_through: ['（公表値は{m}まで）', ' (released through {m})'],

  own_months: ['月ごとの自院の患者数（すべての月）', 'Your patients month by month (every month)'],
  own_months_note: ['報告のない月、ゼロ報告の月も0として表示します。', 'Months with no report or a nil report show 0.'],
  month_total: ['合計', 'Total'],
  month_status: ['報告', 'Report'],
  month_reported: ['報告済み', 'reported'],
  month_nil: ['該当なし（ゼロ報告）', 'nil report (no foreign patients)'],
  month_not_reported: ['未報告', 'not reported'],
  sub_month: ['対象月', 'Month'],
  sub_received: ['受付日時', 'Received'],
  sub_patients: ['報告した患者数', 'Patients reported'],
  sub_state: ['状態', 'State'],
  sub_current: ['最新', 'Current'],
  sub_replaced: ['{d}に再送で置き換え', 'Replaced by a later sending on {d}'],
  sub_nil: ['該当なし（ゼロ報告）', 'Nil report: no foreign patients'],
  refused_title: ['受け付けられなかった送信', 'Sendings the hub refused'],
  refused_none: ['受け付けられなかった送信はありません。', 'The hub has refused nothing you sent.'],
  refused_reason: ['理由', 'Reason'],
  refused_at: ['日時', 'When'],
};

// tw(key, vars): the text in the pages' language, else English, else
// i18n.js's.
export function tw(key, vars = {}) {
  const e = HUBWEB_DICT[key];
  if (!e) return t(key, vars);
  const l = getLang();
  const more = MORE_LANGS.indexOf(l);
  const s = l === 'ja' ? e[0] : (more >= 0 && MORE[key]?.[more]) || e[1];
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}
