# A mail body from a here-string and -f.
# expect: ^Dear Tony Smith,$
# expect: ^Your voice mail PIN was reset on 2026-11-25\.$
$template = @"
Dear {0},
Your voice mail PIN was reset on {1:yyyy-MM-dd}.
"@
$template -f (Get-Mailbox tonysmith).DisplayName, [datetime]'2026-11-25'
