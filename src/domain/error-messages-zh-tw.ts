/**
 * Traditional Chinese error messages, in the words Exchange uses in Taiwan: 整合通訊, UM
 * 撥號對應表, UM 信箱原則, 信箱, 分機, PIN 碼, 鎖定, 收件者, 權杖. Exchange parameter names
 * (MinPINLength, PINHistoryCount...) stay as administrators type them. A space sits between
 * Han and Latin text, as Taiwanese typesetting has it.
 */
import type { ErrorCatalog, KindWords } from './error-catalog.js';

const KIND: KindWords = {
  recipient: '收件者',
  mailbox: '信箱',
  'UM mailbox': 'UM 信箱',
  'UM dial plan': 'UM 撥號對應表',
  'UM mailbox policy': 'UM 信箱原則',
  'API token': 'API 權杖',
  'administrator account': '系統管理員帳戶',
  'dead letter': '無法傳遞的郵件',
  object: '物件',
};

/** A word placed after Han text: a space first when it begins with a Latin letter or digit. */
const after = (word: string): string => (/^[A-Za-z0-9]/.test(word) ? ` ${word}` : word);

const MALFORMED = {
  'invalid-json': '本文不是有效的 JSON',
  'empty-json': '本文是空的，但 Content-Type 標示為 JSON',
  'content-length': 'Content-Length 與本文不符',
  'not-http': '此要求不是此作業可接受的 HTTP 要求',
  url: 'URL 無效（% 後面不是兩個十六進位數字，或含有無效字元）',
  'headers-too-large': '標頭太大',
} as const;

export const zhTW: ErrorCatalog = {
  // PIN rules
  UMPIN_PIN_NOT_DIGITS: () => 'PIN 碼只能包含數字 0-9。',
  UMPIN_PIN_TOO_SHORT: (p) => `PIN 碼至少須為 ${p.min} 位數（UM 信箱原則的 MinPINLength）。`,
  UMPIN_PIN_TOO_LONG: (p) => `PIN 碼最多只能有 ${p.max} 位數。`,
  UMPIN_PIN_COMMON_PATTERN: (p) =>
    `PIN 碼不可${p.pattern === 'repeated' ? '是同一個數字重複' : '是一串遞增或遞減的連續數字'}（UM 信箱原則的 AllowCommonPatterns 為 $false）。`,
  UMPIN_PIN_CONTAINS_EXTENSION: (p) =>
    p.part === 'suffix' ? 'PIN 碼不可包含使用者分機的末 4 碼。' : 'PIN 碼不可包含使用者的分機。',
  UMPIN_PIN_IN_HISTORY: (p) => `PIN 碼必須與最近 ${p.count} 個 PIN 碼都不同（UM 信箱原則的 PINHistoryCount）。`,
  UMPIN_PIN_MISMATCH: () => '兩次輸入的新 PIN 碼不相符。',
  UMPIN_PIN_KEYPAD_LINE: () =>
    'PIN 碼不可是電話按鍵上同一列、同一欄或同一條對角線上依序相連的按鍵，順向或反向皆同（UM 信箱原則的 PINComplexity 為 Strict）。',
  UMPIN_PIN_REPEATED_GROUP: () => 'PIN 碼不可是同一組數字重複（UM 信箱原則的 PINComplexity 為 Strict）。',
  UMPIN_PIN_FEW_DIGITS: (p) => `PIN 碼至少須使用 ${p.min} 個不同的數字（UM 信箱原則的 PINComplexity 為 Strict）。`,
  UMPIN_PIN_DIGIT_RUN: (p) =>
    `PIN 碼中同一個數字不可連續出現超過 ${p.max} 次（UM 信箱原則的 PINComplexity 為 Strict）。`,
  UMPIN_PIN_EXTENSION_REVERSED: (p) =>
    p.part === 'suffix'
      ? 'PIN 碼不可包含反過來的使用者分機末 4 碼（UM 信箱原則的 PINComplexity 為 Strict）。'
      : 'PIN 碼不可包含反過來的使用者分機（UM 信箱原則的 PINComplexity 為 Strict）。',
  UMPIN_PIN_DATE: (p) =>
    `PIN 碼不可是${p.kind === 'year' ? '年份（19xx 或 20xx）' : '日期（日與月，含或不含年份）'}（UM 信箱原則的 PINComplexity 為 Strict）。`,
  UMPIN_PIN_COMMON: () => 'PIN 碼是最常被選用的 PIN 碼之一（UM 信箱原則的 PINComplexity 為 Strict）。',
  UMPIN_PIN_NEAR_PREVIOUS: () => '新的 PIN 碼不可是先前的 PIN 碼加一或減一（UM 信箱原則的 PINComplexity 為 Strict）。',
  UMPIN_PIN_CHANGE_NOT_ALLOWED: () =>
    '這個信箱的使用者無法變更 PIN 碼（PinChangeAllowed 為 $false），請洽系統管理員重設 PIN 碼。',
  UMPIN_PIN_LINK_NOT_FOUND: () => '這個 PIN 碼連結無效：請確認開啟的是完整的連結，或在自助服務頁面重新申請 PIN 碼。',
  UMPIN_PIN_LINK_USED: () =>
    '這個 PIN 碼連結已經使用過，PIN 碼只會顯示一次。如果您沒有看到 PIN 碼，請在自助服務頁面重新申請。',
  UMPIN_PIN_LINK_EXPIRED: () => '這個 PIN 碼連結已過期，未曾使用。請在自助服務頁面重新申請 PIN 碼。',
  UMPIN_PIN_LINK_REPLACED: () =>
    '這個 PIN 碼連結已失效：PIN 碼已再次重設，只有最新的連結能顯示 PIN 碼。請使用最新郵件中的連結，或在自助服務頁面重新申請 PIN 碼。',
  UMPIN_PIN_LINK_SIGN_IN_REQUIRED: () =>
    '請先登入自助服務頁面（UM 信箱原則的 PINLinkRequiresSignIn 為 $true），再重新開啟這個連結。',
  UMPIN_PIN_LINK_WRONG_USER: () =>
    '這個 PIN 碼連結屬於另一個信箱，不是目前登入的信箱：請登出，再以收到郵件的使用者登入。',
  // Policy and dial plan settings
  UMPIN_VALUE_OUT_OF_RANGE: (p) =>
    `${p.field} 必須介於 ${p.min} 到 ${p.max} 之間${p.unlimited ? '，或為 Unlimited' : ''}。`,
  UMPIN_VALUE_REQUIRED: (p) => `必須指定 ${p.field}。`,
  UMPIN_VALUE_TOO_LONG: (p) => `${p.field} 最多只能有 ${p.max} 個字元。`,
  UMPIN_VALUE_INVALID: (p) => `${p.field} 無效：${p.rule}。`,
  UMPIN_VALUE_UNSAFE_CHARACTER: (p) =>
    `${p.field} 不可包含${
      p.kind === 'control'
        ? '控制字元'
        : p.kind === 'surrogate'
          ? '不成對的 UTF-16 代理字元（半個字元）'
          : '會改變文字方向或隱藏文字的字元，例如雙向覆寫字元或零寬空格'
    }（發現 ${p.character}）。`,
  UMPIN_POLICY_RESET_NOT_BELOW_MAX: (p) =>
    `LogonFailuresBeforePINReset（${p.reset}）必須小於 MaxLogonAttempts（${p.max}），或為 Unlimited。`,
  UMPIN_EXTENSION_INVALID: (p) =>
    `分機必須剛好是 ${p.digits} 位數（UM 撥號對應表「${p.dialPlan}」的 NumberOfDigitsInExtension）。`,
  UMPIN_EXTENSION_IN_USE: (p) => `分機 ${p.extension} 已指派給 UM 撥號對應表「${p.dialPlan}」中的其他信箱。`,
  UMPIN_EXTENSION_REQUIRED: (p) => `必須指定分機：此收件者沒有符合 UM 撥號對應表「${p.dialPlan}」的號碼。`,
  UMPIN_VOICE_MAIL_URI_INVALID: (p) =>
    `${p.field} 無效：${
      {
        scheme: '必須以 sip: 或 sips: 開頭',
        placeholder: '必須在 @ 之前剛好包含一次 {extension}，且不可有其他大括號',
        syntax: '必須是 SIP URI，例如 sip:{extension}@pbx.contoso.com 或 sip:*97{extension}@10.0.0.5:5060',
        length: `最多只能有 ${p.max} 個字元`,
      }[p.rule]
    }。`,
  // Objects
  UMPIN_IDENTITY_NOT_FOUND: (p) => `找不到${after(KIND[p.kind ?? 'object'])}「${p.identity}」。`,
  UMPIN_IDENTITY_AMBIGUOUS: (p) =>
    `識別「${p.identity}」符合 ${p.count} 個${after(KIND[p.kind ?? 'object'])}；請改用唯一的值，例如電子郵件地址或 GUID。`,
  UMPIN_NAME_IN_USE: (p) => `已有名為「${p.name}」的${after(KIND[p.kind])}。`,
  UMPIN_RECIPIENT_ADDRESS_IN_USE: (p) => `${p.field}「${p.value}」已由其他收件者使用。`,
  UMPIN_MAILBOX_NOT_UM_ENABLED: (p) => `信箱「${p.identity}」未啟用整合通訊。`,
  UMPIN_MAILBOX_ALREADY_UM_ENABLED: (p) => `信箱「${p.identity}」已啟用整合通訊。`,
  UMPIN_POLICY_IN_USE: (p) => `UM 信箱原則「${p.name}」已指派給 ${p.count} 個信箱。`,
  UMPIN_DIAL_PLAN_IN_USE: (p) => `UM 撥號對應表「${p.name}」仍有 ${p.count} 個 UM 信箱原則。`,
  UMPIN_CALLER_NOT_RECOGNIZED: () => '沒有任何 UM 信箱使用該分機或來電號碼。',
  // Access
  UMPIN_ACCESS_DENIED: (p) => `${p.actor} 無權執行 ${p.action}${p.target ? `（對象：${p.target}）` : ''}。`,
  UMPIN_TARGET_IS_ADMINISTRATOR: (p) =>
    `${p.actor} 無法重設或解除鎖定 ${p.target} 的 PIN 碼：此信箱屬於系統管理員。請洽 Organization Management 或 UM Management 角色群組。`,
  UMPIN_SIGN_IN_FAILED: (p) =>
    p.method === 'code' ? '登入碼不正確，或已過期、已使用；請重新索取。' : '名稱或密碼不正確。',
  UMPIN_AUTH_REQUIRED: (p) =>
    p.server
      ? `位於 ${p.server} 的 umpin 伺服器不接受此 API 權杖（UMPIN_TOKEN）：權杖不存在或已撤銷。`
      : '請先登入或出示 API 權杖，才能使用此功能。',
  UMPIN_CSRF_INVALID: () => '此要求缺少此工作階段有效的 X-CSRF-Token 標頭。',
  UMPIN_RATE_LIMITED: (p) => `嘗試次數過多；請${p.retryAfter === undefined ? '稍後' : ` ${p.retryAfter} 秒後`}再試。`,
  UMPIN_SETUP_TOKEN_INVALID: () => '設定權杖無效：已過期或已使用。請重新啟動 umpin serve 以取得新的權杖。',
  UMPIN_SETUP_DONE: () => 'umpin 已完成設定：請以系統管理員帳戶登入。',
  // CSV import
  UMPIN_CSV_INVALID: (p) => `CSV 第 ${p.line} 行：${p.rule}。`,
  // Management shell
  UMPIN_SHELL_PARSE_ERROR: (p) => `${p.rule}（第 ${p.line} 行，第 ${p.column} 欄）。`,
  UMPIN_SHELL_UNKNOWN_COMMAND: (p) =>
    `無法將 '${p.name}' 辨識為 Cmdlet 的名稱${p.suggestion ? `；您是指 ${p.suggestion} 嗎？` : '。'}`,
  UMPIN_SHELL_UNKNOWN_PARAMETER: (p) =>
    `${p.cmdlet} 沒有名為 '${p.name}' 的參數${p.suggestion ? `；您是指 -${p.suggestion} 嗎？` : '。'}`,
  UMPIN_SHELL_AMBIGUOUS_PARAMETER: (p) => `${p.cmdlet} 的參數 '${p.name}' 不明確：可能是 ${p.candidates}。`,
  UMPIN_SHELL_PARAMETER_REPEATED: (p) => `${p.cmdlet} 的參數 -${p.field} 指定了不只一次。`,
  UMPIN_SHELL_ARGUMENT_MISSING: (p) => `${p.cmdlet} 的參數 -${p.field} 需要 ${p.type} 類型的值。`,
  UMPIN_SHELL_ARGUMENT_INVALID: (p) => `無法繫結 ${p.cmdlet} 的參數 -${p.field}：${p.rule}。`,
  UMPIN_SHELL_POSITIONAL_UNEXPECTED: (p) =>
    `${p.cmdlet} 在位置 ${p.position} 不接受位置引數${p.value ? ` '${p.value}'` : ''}。`,
  UMPIN_SHELL_PARAMETER_MISSING: (p) => `${p.cmdlet} 需要 -${p.field}。`,
  UMPIN_SHELL_CONFIRMATION_REQUIRED: (p) => `${p.cmdlet} 需要確認，但此處無法確認；請加上 -Confirm:$false 以繼續。`,
  UMPIN_SHELL_CANCELLED: (p) =>
    `使用者在處理完 ${p.done} 個物件${p.total === undefined ? '' : `（共 ${p.total} 個）`}後停止。`,
  UMPIN_SHELL_FILE_ERROR: (p) => `無法${p.operation === 'write' ? '寫入' : '讀取'}檔案 ${p.path}：${p.rule}。`,
  UMPIN_SHELL_RUNTIME_ERROR: (p) => `${p.rule}。`,
  UMPIN_SHELL_SCRIPT_ERROR: (p) => p.message,
  UMPIN_SHELL_VARIABLE_CONVERSION: (p) => `無法將值 "${p.value}" 轉換成變數 $${p.variable} 的型別 [${p.type}]。`,
  UMPIN_SHELL_STEP_LIMIT: (p) =>
    `指令碼執行了 ${p.limit} 個步驟（陳述式與迴圈次數）後已停止：通常是永不結束的迴圈，例如 while ($true) { }。`,
  UMPIN_SHELL_VALIDATION_FAILED: (p) => {
    const head = `無法驗證 ${p.cmdlet} 的參數 '${p.field}' 的引數。`;
    switch (p.attribute) {
      case 'ValidateSet':
        return `${head}引數 "${p.value}" 不屬於 ValidateSet 屬性指定的集合 "${p.allowed}"。`;
      case 'ValidatePattern':
        return `${head}引數 "${p.value}" 不符合模式 "${p.allowed}"。`;
      case 'ValidateRange':
        return `${head}引數 "${p.value}" 超出範圍 ${p.allowed}。`;
      default:
        return `${head}引數是 null 或空白。`;
    }
  },
  // Infrastructure
  UMPIN_SECRET_INSECURE: (p) => `秘密金鑰檔案 ${p.path} 必須只有擁有者可以讀取（chmod 600）。`,
  UMPIN_SECRET_INVALID: (p) => `來自 ${p.source} 的伺服器秘密無效：${p.rule}。`,
  UMPIN_STORE_UNAVAILABLE: () => '無法連線到資料庫。',
  UMPIN_CONCURRENT_CHANGE: () => '此物件同時被另一個要求變更；請再試一次。',
  // HTTP API requests
  UMPIN_NOT_FOUND: (p) => `沒有任何 API 作業回應 ${p.method} ${p.path}。`,
  UMPIN_REQUEST_INVALID: (p) => `${p.field} 無效：${p.rule}。`,
  UMPIN_REQUEST_MALFORMED: (p) => `無法讀取要求：${MALFORMED[p.reason]}。`,
  UMPIN_REQUEST_NOT_JSON: () => '無法讀取要求：本文必須是 JSON（Content-Type: application/json）。',
  UMPIN_REQUEST_TOO_LARGE: (p) => (p.max === undefined ? '要求本文超過允許的大小。' : `要求本文超過 ${p.max} 位元組。`),
  UMPIN_SERVER_UNREACHABLE: (p) => `無法使用位於 ${p.url} 的 umpin 伺服器：${p.rule}。`,
  UMPIN_INTERNAL: (p) =>
    p.serverCode ? `${p.serverMessage ?? '伺服器發生錯誤'}（${p.serverCode}）` : '發生內部錯誤。',
};
