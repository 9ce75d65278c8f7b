# Compare-Object: who is in the list but not UM-enabled, and the other way round.
# expect: ^nosuchuser <=$
# expect: ^count 1$
$wanted = 'tonysmith', 'kimakers', 'nosuchuser'
$enabled = Get-UMMailbox | ForEach-Object { $_.Alias }
if ($null -eq $enabled) { $enabled = Get-Mailbox | Where-Object UMEnabled | ForEach-Object { $_.Alias } }
$diff = @(Compare-Object $wanted $enabled | Where-Object { $_.SideIndicator -eq '<=' })
foreach ($d in $diff) { "$($d.InputObject) $($d.SideIndicator)" }
"count $($diff.Count)"
