# $? tells whether the last command succeeded; SilentlyContinue keeps the error quiet.
# expect: ^failed quietly$
# expect: ^ok: True$
# expect: ^errors kept: True$
Set-UMMailboxPIN -Identity nobody-here -LockedOut $false -ErrorAction SilentlyContinue
if (-not $?) { 'failed quietly' }
Get-UMMailboxPIN tonysmith | Out-Null
"ok: $?"
"errors kept: $($Error.Count -ge 1)"
