# PINs older than 90 days, by date arithmetic on PinSetTime.
# expect: ^0 stale PINs of \d+$
$cutoff = (Get-Date).AddDays(-90)
$all = @(Get-UMMailboxPIN)
$stale = @($all | Where-Object { $_.PinSetTime -lt $cutoff })
"$($stale.Count) stale PINs of $($all.Count)"
