/** The words of the PIN policy settings beyond Exchange (issue 14) on the UM mailbox policy page. */
export const pinPolicyEn = {
  'pinPolicy.pinComplexity': 'PIN complexity',
  'pinPolicy.pinComplexity.Exchange': 'Standard (default): the rules Exchange applies',
  'pinPolicy.pinComplexity.Strict': 'Strict: also refuse guessable PINs',
  'pinPolicy.pinComplexityHint':
    'Strict also refuses keys in a straight line on the keypad, a repeated group of digits, fewer than 3 different digits, a digit more than twice in a row, the extension reversed, dates and years, the most common PINs, and a new PIN one away from the old one.',
  'pinPolicy.progressiveLockout':
    'Progressive lockout: each further lockout within a day lasts twice as long, up to a day',
  'pinPolicy.lockedUntil': 'Locked until',
  'pinPolicy.lockCount': 'Lockouts within a day of each other',
  'pinPolicy.pinChangeAllowed': 'User can change the PIN',
  'pinPolicy.selfNoChange':
    'The PIN of this mailbox is set by your administrators: it cannot be reset here. Ask them for a new one.',
} as const;

export const pinPolicyZhTW: Record<keyof typeof pinPolicyEn, string> = {
  'pinPolicy.pinComplexity': 'PIN 碼複雜度',
  'pinPolicy.pinComplexity.Exchange': '標準（預設）：套用原有的規則',
  'pinPolicy.pinComplexity.Strict': '嚴格：另外拒絕容易被猜到的 PIN 碼',
  'pinPolicy.pinComplexityHint':
    '嚴格層級另外拒絕：電話按鍵上排成一直線的按鍵、重複的數字組、少於 3 個不同的數字、同一個數字連續出現超過兩次、反過來的分機號碼、日期與年份、最常見的 PIN 碼，以及與舊 PIN 碼只差一的新 PIN 碼。',
  'pinPolicy.progressiveLockout': '漸進式鎖定：一天內每次再被鎖定，持續時間加倍，最長一天',
  'pinPolicy.lockedUntil': '鎖定至',
  'pinPolicy.lockCount': '一天內連續鎖定次數',
  'pinPolicy.pinChangeAllowed': '使用者可變更 PIN 碼',
  'pinPolicy.selfNoChange': '這個信箱的 PIN 碼由系統管理員設定，無法在此重設。如需新的 PIN 碼，請洽系統管理員。',
};
