# Retries a step up to three times with a while loop.
# expect: attempt 1 failed
# expect: attempt 2 failed
# expect: attempt 3 succeeded
$attempt = 0
$done = $false
while (-not $done -and $attempt -lt 5) {
    $attempt++
    if ($attempt -lt 3) {
        "attempt $attempt failed"
        continue
    }
    "attempt $attempt succeeded"
    $done = $true
}
