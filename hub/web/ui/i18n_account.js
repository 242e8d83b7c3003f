// The words of sign-in, sessions, the dashboard's panel errors, the
// shortlist and the comparison (issue 17), in the seven languages of the
// pages: Japanese and English in full, Simplified and Traditional Chinese,
// Korean, Vietnamese and Russian as well as we could write them (a native
// reviewer should read them before service).  Kept apart from i18n.js so
// that the two grow without conflict; ta() falls back to English, then to
// i18n.js's t() for a key this module does not have.
import { getLang, t } from './i18n.js';

export const ACCOUNT_LANGS = ['ja', 'en', 'zh-Hans', 'zh-Hant', 'ko', 'vi', 'ru'];

// key: { lang: text }.  {name} is replaced by ta()'s vars.
export const ACCOUNT_DICT = {
  signin_title: {
    ja: 'ログイン', en: 'Sign in', 'zh-Hans': '登录', 'zh-Hant': '登入', ko: '로그인', vi: 'Đăng nhập', ru: 'Вход',
  },
  signin_intro: {
    ja: 'ユーザー名とパスワード、認証アプリに表示される6桁のコードを入力してください。',
    en: 'Enter your user name, your password and the 6-digit code your authenticator app shows.',
    'zh-Hans': '请输入用户名、密码以及身份验证器应用显示的6位验证码。',
    'zh-Hant': '請輸入使用者名稱、密碼以及驗證器應用程式顯示的6位數驗證碼。',
    ko: '사용자 이름, 비밀번호, 인증 앱에 표시된 6자리 코드를 입력하세요.',
    vi: 'Nhập tên người dùng, mật khẩu và mã 6 chữ số mà ứng dụng xác thực hiển thị.',
    ru: 'Введите имя пользователя, пароль и 6-значный код из приложения-аутентификатора.',
  },
  login_name: {
    ja: 'ユーザー名', en: 'User name', 'zh-Hans': '用户名', 'zh-Hant': '使用者名稱', ko: '사용자 이름', vi: 'Tên người dùng', ru: 'Имя пользователя',
  },
  password: {
    ja: 'パスワード', en: 'Password', 'zh-Hans': '密码', 'zh-Hant': '密碼', ko: '비밀번호', vi: 'Mật khẩu', ru: 'Пароль',
  },
  totp: {
    ja: '確認コード（6桁）', en: 'Verification code (6 digits)', 'zh-Hans': '验证码（6位）', 'zh-Hant': '驗證碼（6位數）',
    ko: '인증 코드(6자리)', vi: 'Mã xác minh (6 chữ số)', ru: 'Код подтверждения (6 цифр)',
  },
  totp_hint: {
    ja: '認証アプリ（Google Authenticator など）に表示されるコード', en: 'The code shown by your authenticator app (Google Authenticator or similar)',
    'zh-Hans': '身份验证器应用（如 Google Authenticator）显示的验证码', 'zh-Hant': '驗證器應用程式（如 Google Authenticator）顯示的驗證碼',
    ko: '인증 앱(Google Authenticator 등)에 표시되는 코드', vi: 'Mã do ứng dụng xác thực (như Google Authenticator) hiển thị',
    ru: 'Код из приложения-аутентификатора (например, Google Authenticator)',
  },
  enrolment_code: {
    ja: '初回登録コード', en: 'Enrolment code', 'zh-Hans': '首次注册码', 'zh-Hant': '首次註冊碼', ko: '최초 등록 코드',
    vi: 'Mã đăng ký lần đầu', ru: 'Код регистрации',
  },
  enrolment_hint: {
    ja: '管理者から受け取った32文字のコード（初回ログイン時のみ）', en: 'The 32-character code your administrator gave you (first sign-in only)',
    'zh-Hans': '管理员提供的32位代码（仅首次登录）', 'zh-Hant': '管理員提供的32字元代碼（僅首次登入）',
    ko: '관리자에게 받은 32자리 코드(최초 로그인 시에만)', vi: 'Mã 32 ký tự do quản trị viên cung cấp (chỉ lần đăng nhập đầu)',
    ru: '32-значный код от администратора (только при первом входе)',
  },
  signin_button: {
    ja: 'ログイン', en: 'Sign in', 'zh-Hans': '登录', 'zh-Hant': '登入', ko: '로그인', vi: 'Đăng nhập', ru: 'Войти',
  },
  signin_checking: {
    ja: '確認中…', en: 'Checking…', 'zh-Hans': '正在验证…', 'zh-Hant': '驗證中…', ko: '확인 중…', vi: 'Đang kiểm tra…', ru: 'Проверка…',
  },
  signin_need_totp: {
    ja: '認証アプリの6桁のコードを入力してください。', en: 'Enter the 6-digit code from your authenticator app.',
    'zh-Hans': '请输入身份验证器应用中的6位验证码。', 'zh-Hant': '請輸入驗證器應用程式中的6位數驗證碼。',
    ko: '인증 앱의 6자리 코드를 입력하세요.', vi: 'Hãy nhập mã 6 chữ số từ ứng dụng xác thực.', ru: 'Введите 6-значный код из приложения-аутентификатора.',
  },
  signin_need_enrolment: {
    ja: 'このアカウントは二要素認証が未登録です。管理者から受け取った初回登録コードを入力してください。',
    en: 'This account has no second factor yet. Enter the enrolment code your administrator gave you.',
    'zh-Hans': '此账户尚未设置第二重验证。请输入管理员提供的首次注册码。',
    'zh-Hant': '此帳戶尚未設定第二重驗證。請輸入管理員提供的首次註冊碼。',
    ko: '이 계정은 아직 2단계 인증이 등록되지 않았습니다. 관리자에게 받은 등록 코드를 입력하세요.',
    vi: 'Tài khoản này chưa có yếu tố xác thực thứ hai. Hãy nhập mã đăng ký do quản trị viên cung cấp.',
    ru: 'Для этой учётной записи ещё не настроен второй фактор. Введите код регистрации от администратора.',
  },
  signin_failed: {
    ja: 'ユーザー名、パスワード、またはコードが正しくありません。', en: 'The user name, password or code is wrong.',
    'zh-Hans': '用户名、密码或验证码不正确。', 'zh-Hant': '使用者名稱、密碼或驗證碼不正確。',
    ko: '사용자 이름, 비밀번호 또는 코드가 올바르지 않습니다.', vi: 'Tên người dùng, mật khẩu hoặc mã không đúng.',
    ru: 'Неверное имя пользователя, пароль или код.',
  },
  signin_locked: {
    ja: 'ログインの失敗が続いたため、このアカウントは一時的にロックされています。{n}秒後にもう一度お試しください。',
    en: 'Too many failed sign-ins: this account is locked for now. Try again in {n} seconds.',
    'zh-Hans': '登录失败次数过多，此账户已被暂时锁定。请在{n}秒后重试。',
    'zh-Hant': '登入失敗次數過多，此帳戶已暫時鎖定。請在{n}秒後重試。',
    ko: '로그인 실패가 너무 많아 이 계정이 일시적으로 잠겼습니다. {n}초 후에 다시 시도하세요.',
    vi: 'Đăng nhập sai quá nhiều lần: tài khoản tạm thời bị khóa. Hãy thử lại sau {n} giây.',
    ru: 'Слишком много неудачных попыток: учётная запись временно заблокирована. Повторите через {n} с.',
  },
  signin_locked_address: {
    ja: 'この接続元からのログイン失敗が続いたため、一時的にロックされています。{n}秒後にもう一度お試しください。',
    en: 'Too many failed sign-ins from this address: it is locked for now. Try again in {n} seconds.',
    'zh-Hans': '来自此地址的登录失败次数过多，已被暂时锁定。请在{n}秒后重试。',
    'zh-Hant': '來自此位址的登入失敗次數過多，已暫時鎖定。請在{n}秒後重試。',
    ko: '이 주소에서 로그인 실패가 너무 많아 일시적으로 잠겼습니다. {n}초 후에 다시 시도하세요.',
    vi: 'Quá nhiều lần đăng nhập sai từ địa chỉ này: tạm thời bị khóa. Hãy thử lại sau {n} giây.',
    ru: 'Слишком много неудачных попыток с этого адреса: вход временно заблокирован. Повторите через {n} с.',
  },
  enrol_title: {
    ja: '認証アプリの登録', en: 'Set up your authenticator app', 'zh-Hans': '设置身份验证器应用', 'zh-Hant': '設定驗證器應用程式',
    ko: '인증 앱 등록', vi: 'Thiết lập ứng dụng xác thực', ru: 'Настройка приложения-аутентификатора',
  },
  enrol_intro: {
    ja: 'このQRコードを認証アプリで読み取り、表示された6桁のコードを入力してログインしてください。QRコードは一度しか表示されません。',
    en: 'Scan this QR code with your authenticator app, then sign in with the 6-digit code it shows. The QR code is shown only once.',
    'zh-Hans': '请用身份验证器应用扫描此二维码，然后输入显示的6位验证码登录。二维码只显示一次。',
    'zh-Hant': '請用驗證器應用程式掃描此 QR 碼，然後輸入顯示的6位數驗證碼登入。QR 碼只會顯示一次。',
    ko: '인증 앱으로 이 QR 코드를 스캔한 후 표시된 6자리 코드로 로그인하세요. QR 코드는 한 번만 표시됩니다.',
    vi: 'Quét mã QR này bằng ứng dụng xác thực, rồi đăng nhập bằng mã 6 chữ số hiển thị. Mã QR chỉ hiển thị một lần.',
    ru: 'Отсканируйте QR-код приложением-аутентификатором и войдите с показанным 6-значным кодом. QR-код показывается только один раз.',
  },
  enrol_key: {
    ja: 'QRコードを読み取れない場合の登録キー', en: 'The key, if the QR code cannot be scanned', 'zh-Hans': '无法扫描二维码时使用的密钥',
    'zh-Hant': '無法掃描 QR 碼時使用的金鑰', ko: 'QR 코드를 스캔할 수 없을 때 입력할 키', vi: 'Khóa, nếu không quét được mã QR',
    ru: 'Ключ, если QR-код не сканируется',
  },
  token_title: {
    ja: 'APIクライアント・テスト用：アクセストークンでログイン', en: 'For API clients and tests: sign in with an access token',
    'zh-Hans': '供 API 客户端和测试使用：用访问令牌登录', 'zh-Hant': '供 API 用戶端與測試使用：以存取權杖登入',
    ko: 'API 클라이언트·테스트용: 액세스 토큰으로 로그인', vi: 'Cho ứng dụng API và kiểm thử: đăng nhập bằng mã truy cập',
    ru: 'Для API-клиентов и тестов: вход по токену доступа',
  },
  session_ended: {
    ja: 'セッションが終了しました（一定時間操作がなかったか、ログアウトしました）。もう一度ログインしてください。',
    en: 'Your session has ended (it was idle for too long, or you signed out). Please sign in again.',
    'zh-Hans': '会话已结束（长时间未操作或已退出）。请重新登录。', 'zh-Hant': '工作階段已結束（閒置過久或已登出）。請重新登入。',
    ko: '세션이 종료되었습니다(오랫동안 사용하지 않았거나 로그아웃함). 다시 로그인하세요.',
    vi: 'Phiên làm việc đã kết thúc (không hoạt động quá lâu hoặc đã đăng xuất). Vui lòng đăng nhập lại.',
    ru: 'Сеанс завершён (долгое бездействие или выход). Войдите снова.',
  },
  logout: {
    ja: 'ログアウト', en: 'Sign out', 'zh-Hans': '退出', 'zh-Hant': '登出', ko: '로그아웃', vi: 'Đăng xuất', ru: 'Выйти',
  },
  panel_failed: {
    ja: 'この欄を読み込めませんでした：{reason}', en: 'This panel could not be loaded: {reason}',
    'zh-Hans': '此栏无法加载：{reason}', 'zh-Hant': '此欄無法載入：{reason}', ko: '이 영역을 불러오지 못했습니다: {reason}',
    vi: 'Không tải được mục này: {reason}', ru: 'Не удалось загрузить этот раздел: {reason}',
  },
  retry: {
    ja: '再読み込み', en: 'Retry', 'zh-Hans': '重试', 'zh-Hant': '重試', ko: '다시 시도', vi: 'Thử lại', ru: 'Повторить',
  },
  reason_network: {
    ja: 'ハブに接続できません', en: 'the hub cannot be reached', 'zh-Hans': '无法连接到中心', 'zh-Hant': '無法連線到中心',
    ko: '허브에 연결할 수 없습니다', vi: 'không kết nối được với hub', ru: 'узел недоступен',
  },
  reason_unavailable: {
    ja: 'データベースが一時的に使えません。しばらくしてから再読み込みしてください', en: 'the database is unavailable for now; retry in a moment',
    'zh-Hans': '数据库暂时不可用，请稍后重试', 'zh-Hant': '資料庫暫時無法使用，請稍後重試', ko: '데이터베이스를 일시적으로 사용할 수 없습니다. 잠시 후 다시 시도하세요',
    vi: 'cơ sở dữ liệu tạm thời không khả dụng; hãy thử lại sau', ru: 'база данных временно недоступна; повторите позже',
  },
  reason_server: {
    ja: 'サーバーエラー（{status}）', en: 'server error ({status})', 'zh-Hans': '服务器错误（{status}）', 'zh-Hant': '伺服器錯誤（{status}）',
    ko: '서버 오류({status})', vi: 'lỗi máy chủ ({status})', ru: 'ошибка сервера ({status})',
  },
  reason_forbidden: {
    ja: 'この役割では表示できません', en: 'your role may not see this', 'zh-Hans': '您的角色无权查看', 'zh-Hant': '您的角色無權檢視',
    ko: '이 역할로는 볼 수 없습니다', vi: 'vai trò của bạn không được xem mục này', ru: 'вашей роли это недоступно',
  },
  nav_shortlist: {
    ja: '候補リスト', en: 'Shortlist', 'zh-Hans': '候选清单', 'zh-Hant': '候選清單', ko: '후보 목록', vi: 'Danh sách chọn', ru: 'Избранное',
  },
  nav_referrals: {
    ja: '紹介', en: 'Referrals', 'zh-Hans': '转诊', 'zh-Hant': '轉診', ko: '의뢰', vi: 'Chuyển tuyến', ru: 'Направления',
  },
  shortlist_add: {
    ja: '候補に追加', en: 'Add to shortlist', 'zh-Hans': '加入候选', 'zh-Hant': '加入候選', ko: '후보에 추가', vi: 'Thêm vào danh sách', ru: 'В избранное',
  },
  shortlist_remove: {
    ja: '候補から外す', en: 'Remove from shortlist', 'zh-Hans': '移出候选', 'zh-Hant': '移出候選', ko: '후보에서 제거', vi: 'Bỏ khỏi danh sách',
    ru: 'Убрать из избранного',
  },
  shortlist_title: {
    ja: '候補リスト', en: 'Your shortlist', 'zh-Hans': '您的候选清单', 'zh-Hant': '您的候選清單', ko: '내 후보 목록', vi: 'Danh sách chọn của bạn',
    ru: 'Ваше избранное',
  },
  shortlist_intro: {
    ja: '比較したい医療機関を2〜4件選んで「比較する」を押してください。候補リストはハブに保存され、どのタブからも見られます。',
    en: 'Choose 2 to 4 hospitals and press Compare. Your shortlist is kept at the hub and shows in every tab.',
    'zh-Hans': '请选择2至4家医疗机构并点击“比较”。候选清单保存在中心，任何标签页均可查看。',
    'zh-Hant': '請選擇2至4家醫療機構並按「比較」。候選清單保存在中心，任何分頁皆可檢視。',
    ko: '비교할 의료기관을 2~4곳 선택하고 비교를 누르세요. 후보 목록은 허브에 저장되어 모든 탭에서 보입니다.',
    vi: 'Chọn 2 đến 4 bệnh viện rồi nhấn So sánh. Danh sách được lưu tại hub và hiện ở mọi thẻ.',
    ru: 'Выберите от 2 до 4 больниц и нажмите «Сравнить». Избранное хранится на узле и видно во всех вкладках.',
  },
  shortlist_empty: {
    ja: '候補リストは空です。検索結果の「候補に追加」で追加できます。', en: 'Your shortlist is empty. Add hospitals from the search results.',
    'zh-Hans': '候选清单为空。可在搜索结果中加入。', 'zh-Hant': '候選清單為空。可在搜尋結果中加入。', ko: '후보 목록이 비어 있습니다. 검색 결과에서 추가하세요.',
    vi: 'Danh sách trống. Hãy thêm bệnh viện từ kết quả tìm kiếm.', ru: 'Избранное пусто. Добавьте больницы из результатов поиска.',
  },
  shortlist_count: {
    ja: '候補リスト（{n}件）', en: 'Shortlist ({n})', 'zh-Hans': '候选清单（{n}）', 'zh-Hant': '候選清單（{n}）', ko: '후보 목록({n})',
    vi: 'Danh sách chọn ({n})', ru: 'Избранное ({n})',
  },
  compare: {
    ja: '比較する', en: 'Compare', 'zh-Hans': '比较', 'zh-Hant': '比較', ko: '비교', vi: 'So sánh', ru: 'Сравнить',
  },
  compare_pick: {
    ja: '2〜4件選んでください（{n}件選択中）', en: 'Choose 2 to 4 ({n} chosen)', 'zh-Hans': '请选择2至4家（已选{n}家）',
    'zh-Hant': '請選擇2至4家（已選{n}家）', ko: '2~4곳을 선택하세요({n}곳 선택됨)', vi: 'Chọn 2 đến 4 ({n} đã chọn)', ru: 'Выберите от 2 до 4 (выбрано: {n})',
  },
  compare_title: {
    ja: '医療機関の比較', en: 'Compare hospitals', 'zh-Hans': '比较医疗机构', 'zh-Hant': '比較醫療機構', ko: '의료기관 비교',
    vi: 'So sánh bệnh viện', ru: 'Сравнение больниц',
  },
  compare_need: {
    ja: '比較には2〜4件の医療機関が必要です。', en: 'A comparison needs 2 to 4 hospitals.', 'zh-Hans': '比较需要2至4家医疗机构。',
    'zh-Hant': '比較需要2至4家醫療機構。', ko: '비교하려면 의료기관 2~4곳이 필요합니다.', vi: 'Cần 2 đến 4 bệnh viện để so sánh.',
    ru: 'Для сравнения нужно от 2 до 4 больниц.',
  },
  back: {
    ja: '戻る', en: 'Back', 'zh-Hans': '返回', 'zh-Hant': '返回', ko: '뒤로', vi: 'Quay lại', ru: 'Назад',
  },
  field_name: {
    ja: '医療機関名', en: 'Hospital', 'zh-Hans': '医疗机构', 'zh-Hant': '醫療機構', ko: '의료기관', vi: 'Bệnh viện', ru: 'Больница',
  },
  response_times: {
    ja: '回答までの時間', en: 'Response times', 'zh-Hans': '回复时间', 'zh-Hant': '回覆時間', ko: '응답 시간', vi: 'Thời gian phản hồi',
    ru: 'Время ответа',
  },
  not_given: {
    ja: '記載なし', en: 'not given', 'zh-Hans': '未填写', 'zh-Hant': '未填寫', ko: '기재 없음', vi: 'không có', ru: 'не указано',
  },
};

// ta(key, vars): the text in the pages' language, else English, else
// i18n.js's.
export function ta(key, vars = {}) {
  const e = ACCOUNT_DICT[key];
  if (!e) return t(key, vars);
  const s = e[getLang()] ?? e.en;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

// reasonOf(e): why an API call failed, in the user's language.
export function reasonOf(e) {
  const status = e?.status ?? 0;
  if (status === 0) return ta('reason_network');
  if (status === 503) return ta('reason_unavailable');
  if (status === 403) return ta('reason_forbidden');
  return ta('reason_server', { status });
}
