// Code lists the pages show as words: prefectures (JIS X 0401), the treatment
// vocabulary (docs/listing-format.md), the statistics' dimensions, the
// accreditation schemes, and the airports a coordinator can search near.
// Countries and languages are named by the browser (Intl.DisplayNames).
export { DEPARTMENTS } from './departments.js';

// JIS X 0401 code, Japanese, English.
export const PREFECTURES = [
  ['01', '北海道', 'Hokkaido'], ['02', '青森県', 'Aomori'], ['03', '岩手県', 'Iwate'],
  ['04', '宮城県', 'Miyagi'], ['05', '秋田県', 'Akita'], ['06', '山形県', 'Yamagata'],
  ['07', '福島県', 'Fukushima'], ['08', '茨城県', 'Ibaraki'], ['09', '栃木県', 'Tochigi'],
  ['10', '群馬県', 'Gunma'], ['11', '埼玉県', 'Saitama'], ['12', '千葉県', 'Chiba'],
  ['13', '東京都', 'Tokyo'], ['14', '神奈川県', 'Kanagawa'], ['15', '新潟県', 'Niigata'],
  ['16', '富山県', 'Toyama'], ['17', '石川県', 'Ishikawa'], ['18', '福井県', 'Fukui'],
  ['19', '山梨県', 'Yamanashi'], ['20', '長野県', 'Nagano'], ['21', '岐阜県', 'Gifu'],
  ['22', '静岡県', 'Shizuoka'], ['23', '愛知県', 'Aichi'], ['24', '三重県', 'Mie'],
  ['25', '滋賀県', 'Shiga'], ['26', '京都府', 'Kyoto'], ['27', '大阪府', 'Osaka'],
  ['28', '兵庫県', 'Hyogo'], ['29', '奈良県', 'Nara'], ['30', '和歌山県', 'Wakayama'],
  ['31', '鳥取県', 'Tottori'], ['32', '島根県', 'Shimane'], ['33', '岡山県', 'Okayama'],
  ['34', '広島県', 'Hiroshima'], ['35', '山口県', 'Yamaguchi'], ['36', '徳島県', 'Tokushima'],
  ['37', '香川県', 'Kagawa'], ['38', '愛媛県', 'Ehime'], ['39', '高知県', 'Kochi'],
  ['40', '福岡県', 'Fukuoka'], ['41', '佐賀県', 'Saga'], ['42', '長崎県', 'Nagasaki'],
  ['43', '熊本県', 'Kumamoto'], ['44', '大分県', 'Oita'], ['45', '宮崎県', 'Miyazaki'],
  ['46', '鹿児島県', 'Kagoshima'], ['47', '沖縄県', 'Okinawa'],
];

// Treatment code, Japanese, English.
export const TREATMENTS = [
  ['proton_therapy', '陽子線治療', 'Proton beam therapy'],
  ['heavy_ion_therapy', '重粒子線治療', 'Heavy-ion radiotherapy'],
  ['bnct', 'ホウ素中性子捕捉療法（BNCT）', 'Boron neutron capture therapy (BNCT)'],
  ['imrt', '強度変調放射線治療（IMRT）', 'Intensity-modulated radiotherapy (IMRT)'],
  ['stereotactic_radiotherapy', '定位放射線治療', 'Stereotactic radiotherapy'],
  ['robotic_surgery', 'ロボット支援手術', 'Robot-assisted surgery'],
  ['laparoscopic_surgery', '腹腔鏡手術', 'Laparoscopic surgery'],
  ['endoscopic_surgery', '内視鏡治療', 'Endoscopic surgery'],
  ['chemotherapy', 'がん化学療法', 'Cancer chemotherapy'],
  ['immunotherapy', 'がん免疫療法', 'Cancer immunotherapy'],
  ['pet_ct', 'PET-CT検査', 'PET-CT screening and staging'],
  ['health_checkup_standard', '人間ドック（標準コース）', 'Health checkup (ningen dock), standard'],
  ['health_checkup_premium', '人間ドック（総合・画像診断付き）', 'Health checkup (ningen dock), comprehensive'],
  ['brain_dock', '脳ドック', 'Brain checkup (brain dock)'],
  ['cancer_screening', 'がん検診', 'Cancer screening'],
  ['regenerative_medicine', '再生医療', 'Regenerative medicine'],
  ['cardiac_surgery', '心臓外科手術', 'Cardiac surgery'],
  ['catheter_intervention', 'カテーテル治療', 'Catheter intervention'],
  ['joint_replacement', '人工関節置換術', 'Joint replacement'],
  ['spine_surgery', '脊椎手術', 'Spine surgery'],
  ['organ_transplant', '臓器移植', 'Organ transplantation'],
  ['fertility_treatment', '生殖補助医療（体外受精）', 'Assisted reproduction (IVF)'],
  ['dialysis', '人工透析', 'Haemodialysis'],
  ['rehabilitation', 'リハビリテーション', 'Rehabilitation'],
  ['dental_treatment', '歯科治療', 'Dental treatment'],
  ['cosmetic_surgery', '美容外科', 'Cosmetic surgery'],
  ['traditional_kampo', '漢方治療', 'Kampo medicine'],
];

// Price band services beyond the treatments.
export const SERVICES_EXTRA = [
  ['consultation', '診察', 'Consultation'],
  ['second_opinion', 'セカンドオピニオン', 'Second opinion'],
];

export const PURPOSES = [
  ['treatment', '治療', 'Treatment'],
  ['health_checkup', '健診・人間ドック', 'Health checkup'],
  ['second_opinion', 'セカンドオピニオン', 'Second opinion'],
  ['follow_up', 'フォローアップ', 'Follow-up'],
  ['other', 'その他', 'Other'],
  ['travel_emergency', '訪日旅行中の傷病', 'Illness or injury during a trip'],
];

export const REFERRAL_CHANNELS = [
  ['coordinator', '医療コーディネーター経由', 'Through a coordinator'],
  ['hospital', '医療機関の紹介', 'Referred by a hospital'],
  ['doctor', '医師の紹介', 'Referred by a doctor'],
  ['direct', '直接', 'Direct'],
];

export const ACCREDITATIONS = [
  ['JMIP', '外国人患者受入れ医療機関認証（JMIP）', 'JMIP (Japan Medical Service Accreditation for International Patients)'],
  ['JIH', 'ジャパン インターナショナル ホスピタルズ（JIH）', 'JIH (Japan International Hospitals)'],
  ['JCI', 'JCI（Joint Commission International）', 'JCI (Joint Commission International)'],
];

// Services a certified coordinator offers (its listing's "services").
export const COORDINATOR_SERVICES = [
  ['visa_guarantee', '医療滞在ビザの身元保証', 'Medical stay visa guarantee'],
  ['interpreting', '医療通訳', 'Medical interpreting'],
  ['transport', '移動・送迎', 'Transport'],
  ['accommodation', '宿泊手配', 'Accommodation'],
  ['remote_second_opinion_arrangement', '遠隔セカンドオピニオンの手配', 'Remote second opinion arrangement'],
  ['medical_records_translation', '診療記録の翻訳', 'Medical records translation'],
];

// Airports where foreign patients arrive: IATA code, Japanese, English,
// latitude, longitude (WGS 84, the terminal area).
export const AIRPORTS = [
  ['NRT', '成田国際空港', 'Narita International Airport', 35.7720, 140.3929],
  ['HND', '東京国際空港（羽田）', 'Tokyo Haneda Airport', 35.5494, 139.7798],
  ['KIX', '関西国際空港', 'Kansai International Airport', 34.4347, 135.2440],
  ['NGO', '中部国際空港（セントレア）', 'Chubu Centrair International Airport', 34.8584, 136.8054],
  ['CTS', '新千歳空港', 'New Chitose Airport', 42.7752, 141.6923],
  ['FUK', '福岡空港', 'Fukuoka Airport', 33.5859, 130.4507],
  ['KCZ', '高知龍馬空港', 'Kochi Ryoma Airport', 33.5461, 133.6694],
  ['KMJ', '阿蘇くまもと空港', 'Kumamoto Airport', 32.8373, 130.8551],
];

// Languages a hospital may serve in (ISO 639-1), the common ones first.
export const LANGUAGES = ['en', 'zh', 'ko', 'ru', 'vi', 'th', 'id', 'mn', 'ms', 'tl', 'km',
  'my', 'ne', 'hi', 'ar', 'fr', 'de', 'es', 'pt', 'uz', 'kk', 'ja'];

// Patients' countries (ISO 3166-1 alpha-2), the most frequent first.
export const COUNTRIES = ['CN', 'TW', 'HK', 'KR', 'VN', 'RU', 'US', 'TH', 'ID', 'MN', 'PH',
  'SG', 'MY', 'KH', 'MM', 'IN', 'KZ', 'UZ', 'SA', 'AE', 'AU', 'GB', 'CA', 'FR', 'DE', 'ES'];

export const SEXES = [['male', '男性', 'Male'], ['female', '女性', 'Female'], ['unknown', '不明', 'Unknown']];
