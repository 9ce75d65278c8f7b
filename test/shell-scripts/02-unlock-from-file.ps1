# Unlocks the users listed in a text file, one per line, and counts what happened.
# expect: Unlocked davidpelton@contoso\.com
# expect: Unlocked chrisashton@contoso\.com
# expect: 2 unlocked, 0 failed
# after: (Get-UMMailboxPIN davidpelton).LockedOut
# after-expect: ^False$
Set-UMMailboxPIN davidpelton -LockedOut $true
Set-UMMailboxPIN chrisashton -LockedOut $true
$ok = 0; $failed = 0
foreach ($line in Get-Content .\unlock-list.txt) {
    $id = $line.Trim()
    if ($id -eq '') { continue }
    try {
        Set-UMMailboxPIN -Identity $id -LockedOut $false -ErrorAction Stop
        Write-Host "Unlocked $id"
        $ok++
    } catch {
        Write-Warning "Could not unlock ${id}: $($_.Exception.Message)"
        $failed++
    }
}
"$ok unlocked, $failed failed"
