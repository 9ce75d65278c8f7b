/** The words of PINDelivery Link: the one-time PIN link page (/me/pin/<token>) and its settings on the UM mailbox policy page. */
export const pinLinkEn = {
  'pinLink.title': 'Your voice mail PIN',
  'pinLink.checking': 'Checking the link…',
  'pinLink.intro':
    'This link shows your voice mail PIN once. Make sure nobody can see your screen, and have somewhere safe to note it.',
  'pinLink.validUntil': 'The link works until {when}, or until the PIN is shown.',
  'pinLink.signInNeeded':
    'Your organization asks you to sign in to the self-service page before the PIN is shown. Sign in there first, then open the link in your mail again.',
  'pinLink.signIn': 'Sign in to the self-service page',
  'pinLink.show': 'Show my PIN',
  'pinLink.showing': 'Showing…',
  'pinLink.pinLabel': 'PIN for {address}',
  'pinLink.shownNote':
    'This is the only time this PIN is shown: the link no longer works. The next time you call your voice mail, you may be asked to choose a new PIN.',
  'pinLink.used':
    'This link has already been used: it shows the PIN only once. If you did not see the PIN, ask for a new one.',
  'pinLink.expired': 'This link has expired without being used. Ask for a new PIN.',
  'pinLink.replaced':
    'This link no longer works: the PIN was reset again after it was sent. Use the link in the newest mail, or ask for a new PIN.',
  'pinLink.newReset': 'Ask for a new PIN on the self-service page',
  'pinLink.doneMailed': 'A link that shows the new PIN once was mailed to {address}.',
  'pinLink.nextEnter': 'When asked, enter the new PIN that the link in the mail shows.',
  'pinLink.policy.pinDelivery': 'How PINs are sent',
  'pinLink.policy.pinDelivery.Mail': 'In the mail (default)',
  'pinLink.policy.pinDelivery.Link': 'As a one-time link that shows the PIN once',
  'pinLink.policy.pinDeliveryHint':
    'With a link, the welcome and PIN reset mails carry no PIN: the link shows it once, for the hours set below.',
  'pinLink.policy.pinLinkValidityHours': 'Hours a PIN link stays valid',
  'pinLink.policy.pinLinkRequiresSignIn':
    'A PIN link shows the PIN only after the user signs in to the self-service page',
} as const;

export const pinLinkZhTW: Record<keyof typeof pinLinkEn, string> = {
  'pinLink.title': '您的語音信箱 PIN 碼',
  'pinLink.checking': '正在檢查連結…',
  'pinLink.intro':
    '這個連結只會顯示一次您的語音信箱 PIN 碼。請確認沒有人能看到您的螢幕，並準備好安全的地方記下 PIN 碼。',
  'pinLink.validUntil': '連結有效期限至 {when}，或在顯示 PIN 碼後失效。',
  'pinLink.signInNeeded': '貴組織要求先登入自助服務頁面才能顯示 PIN 碼。請先登入，再重新開啟郵件中的連結。',
  'pinLink.signIn': '登入自助服務頁面',
  'pinLink.show': '顯示我的 PIN 碼',
  'pinLink.showing': '正在顯示…',
  'pinLink.pinLabel': '{address} 的 PIN 碼',
  'pinLink.shownNote': '這個 PIN 碼只會顯示這一次，連結已經失效。下次撥入語音信箱時，系統可能會請您設定新的 PIN 碼。',
  'pinLink.used': '這個連結已經使用過，PIN 碼只會顯示一次。如果您沒有看到 PIN 碼，請重新申請。',
  'pinLink.expired': '這個連結已過期，未曾使用。請重新申請 PIN 碼。',
  'pinLink.replaced': '這個連結已失效：寄出後 PIN 碼又重設過一次。請使用最新郵件中的連結，或重新申請 PIN 碼。',
  'pinLink.newReset': '在自助服務頁面重新申請 PIN 碼',
  'pinLink.doneMailed': '只能顯示一次新 PIN 碼的連結已寄至 {address}。',
  'pinLink.nextEnter': '依提示輸入郵件中連結所顯示的新 PIN 碼。',
  'pinLink.policy.pinDelivery': 'PIN 碼的寄送方式',
  'pinLink.policy.pinDelivery.Mail': '寫在郵件中（預設）',
  'pinLink.policy.pinDelivery.Link': '以只能使用一次的連結顯示 PIN 碼',
  'pinLink.policy.pinDeliveryHint':
    '選擇連結時，歡迎郵件與重設 PIN 碼郵件都不含 PIN 碼：連結只會顯示一次 PIN 碼，有效時數如下方設定。',
  'pinLink.policy.pinLinkValidityHours': 'PIN 碼連結的有效時數',
  'pinLink.policy.pinLinkRequiresSignIn': '使用者須先登入自助服務頁面，PIN 碼連結才會顯示 PIN 碼',
};
