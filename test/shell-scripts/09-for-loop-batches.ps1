# Works through a list in batches of two with a for loop, indexes and a counter.
# expect: batch 1: danjump, karenberg
# expect: batch 2: scottcooper
# expect: 3 users in 2 batches
$users = @('danjump', 'karenberg', 'scottcooper')
$batches = 0
for ($i = 0; $i -lt $users.Count; $i += 2) {
    $batches++
    $batch = $users[$i..($i + 1)] | Where-Object { $_ }
    "batch ${batches}: " + ($batch -join ', ')
}
"$($users.Count) users in $batches batches"
