# -is, -isnot and -as check what a CSV gives before it is used: a number where a number is due, text where text is.
# expect: ^newhire1: extension 10401 is a number$
# expect: ^badhire: 'abc' is not a number, skipped$
# expect: ^rows: 3 \(3 strings\)$
# expect: ^flag True, date 2026$
$rows = Import-Csv new-starters.csv
$strings = 0
foreach ($r in $rows) {
    if ($r.Alias -is [string]) { $strings++ }
    $ext = $r.Extension -as [int]
    if ($null -eq $ext) { "$($r.Alias): '$($r.Extension)' is not a number, skipped"; continue }
    if ($ext -isnot [int]) { throw 'not reached' }
    "$($r.Alias): extension $ext is a number"
}
"rows: $($rows.Count) ($strings strings)"
$flag = 'True' -as [bool]
$when = '2026-03-01' -as [datetime]
"flag $flag, date $($when.Year)"
