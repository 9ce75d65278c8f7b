# Builds report objects, sorts them and keeps the top two.
# expect: ^c 30$
# expect: ^a 20$
$rows = @()
foreach ($pair in @(@('a', 20), @('b', 10), @('c', 30))) {
    $rows += [pscustomobject]@{ Name = $pair[0]; Score = $pair[1] }
}
$rows | Sort-Object Score -Descending | Select-Object -First 2 | ForEach-Object { "$($_.Name) $($_.Score)" }
