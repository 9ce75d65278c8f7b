# A bulk reset with a counter, progress and a summary grouped by outcome.
# expect: ^OK +2$
# expect: ^Failed +1$
# hidden: 6283941
$targets = 'meilin', 'chihhaolin', 'nobody-here'
$results = @()
$i = 0
foreach ($t in $targets) {
    $i++
    Write-Progress -Activity 'Resetting PINs' -Status "$i of $($targets.Count)" -PercentComplete ($i * 100 / $targets.Count)
    try {
        Set-UMMailboxPIN -Identity $t -Pin 6283941 -PinExpired $true -ErrorAction Stop
        $results += [pscustomobject]@{ User = $t; Outcome = 'OK' }
    } catch {
        $results += [pscustomobject]@{ User = $t; Outcome = 'Failed' }
    }
}
Write-Progress -Activity 'Resetting PINs' -Completed
$results | Group-Object Outcome | ForEach-Object { '{0,-7}{1}' -f $_.Name, $_.Count }
