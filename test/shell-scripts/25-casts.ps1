# Casts: [int] rounds to even, [string], [bool], [datetime], [array], [pscustomobject].
# expect: ^12 2 4 True False$
# expect: ^2026 11 Wednesday$
# expect: ^1 item, 7$
# expect: ^Name: Kim, Ext: 10232$
"$([int]'12') $([int]2.5) $([int]3.5) $([bool]'x') $([bool]0)"
$d = [datetime]'2026-11-25'
"$($d.Year) $($d.Month) $($d.DayOfWeek)"
$one = [array]7
"$($one.Count) item, $([string]$one[0])"
$o = [pscustomobject]@{ Name = 'Kim'; Ext = 10232 }
"Name: $($o.Name), Ext: $($o.Ext)"
