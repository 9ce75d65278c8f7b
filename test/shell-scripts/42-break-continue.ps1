# continue skips one item, break ends the loop; the rest of the script runs.
# expect: ^1 2 4 5$
# expect: ^stopped at 3$
$seen = foreach ($n in 1..10) {
    if ($n -eq 3) { continue }
    if ($n -gt 5) { break }
    $n
}
"$seen"
foreach ($n in 1..10) { if ($n -eq 3) { "stopped at $n"; break } }
