# A report written to a file named after today's date, read back with Get-Content.
# expect: ^written pin-report-\d{8}\.txt: \d+ lines$
# expect: ^True$
# expect: UserID
$file = "pin-report-$(Get-Date -Format yyyyMMdd).txt"
Get-UMMailboxPIN | Select-Object UserID, LockedOut | Out-File -FilePath $file
$lines = Get-Content $file
"written ${file}: $($lines.Count) lines"
Test-Path $file
$lines | Select-Object -First 2
