# Get-UMMailboxPIN | Export-Csv, then Import-Csv: the same users and states come back.
# expect: ^20 rows, 20 users back$
# expect: ^tonysmith back: True$
$before = @(Get-UMMailboxPIN | Where-Object { $_.UserID -notlike 'newhire*' })
$before | Export-Csv pins.csv -NoTypeInformation
$after = Import-Csv pins.csv
"$($before.Count) rows, $(@($after).Count) users back"
$tony = $after | Where-Object { $_.UserID -like 'tonysmith*' }
"tonysmith back: $($tony.LockedOut -eq 'False' -or $tony.LockedOut -eq 'True')"
