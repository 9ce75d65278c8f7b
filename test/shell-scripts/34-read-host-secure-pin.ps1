# A PIN typed with Read-Host -AsSecureString binds to -Pin and is never shown.
# input: 8302715
# expect: ^System\.Security\.SecureString 7$
# expect: ^set for mollydempsey$
# hidden: 8302715
# after: (Get-UMMailboxPIN mollydempsey).PinExpired
# after-expect: ^True$
$pin = Read-Host -Prompt 'New PIN' -AsSecureString
"$pin $($pin.Length)"
Set-UMMailboxPIN -Identity mollydempsey -Pin $pin -PinExpired $true
'set for mollydempsey'
