# A silenced failure gives nothing, so a condition built on it is false and the script goes on.
# expect: ^no such file, using defaults$
# expect: ^last command failed: True$
if (Get-Content missing-settings.txt -ErrorAction SilentlyContinue) { 'settings read' } else { 'no such file, using defaults' }
Get-Content missing-settings.txt -ErrorAction SilentlyContinue | Set-UMMailboxPIN -LockedOut $true
"last command failed: $(-not $?)"
