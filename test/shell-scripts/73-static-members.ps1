# The static members admins reach for: today's date in a report name, percentages rounded, blank CSV cells told apart, numbers parsed, a date read in a fixed format.
# expect: ^report-\d{8}\.txt written$
# expect: ^2 of 3 rows usable \(66\.67%\)$
# expect: ^floor 66, ceiling 67, max 3, min 2$
# expect: ^extensions: 10401, 10402$
# expect: ^cut-off Wednesday 25 November$
# expect: ^next extension 10403$
# expect: ^age check: True$
$name = 'report-{0}.txt' -f [datetime]::Today.ToString('yyyyMMdd')
$rows = Import-Csv new-starters.csv
$usable = @($rows | Where-Object { -not [string]::IsNullOrWhiteSpace($_.Extension) -and $_.Extension -match '^\d+$' })
$pct = [math]::Round(100 * $usable.Count / $rows.Count, 2)
"$($usable.Count) of $($rows.Count) rows usable ($pct%)" | Out-File $name
"$name written"
Get-Content $name
"floor $([math]::Floor($pct)), ceiling $([Math]::Ceiling($pct)), max $([math]::Max($usable.Count, 3)), min $([math]::Min($usable.Count, 3))"
"extensions: $([string]::Join(', ', ($usable | ForEach-Object { $_.Extension })))"
$cutoff = [datetime]::ParseExact('2026-11-25', 'yyyy-MM-dd', $null)
"cut-off $($cutoff.ToString('dddd d MMMM'))"
"next extension $([int]::Parse($usable[-1].Extension) + 1)"
"age check: $([datetime]::Now -gt $cutoff.AddDays(-3650))"
