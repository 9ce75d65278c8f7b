# Unlocks only the locked-out users whose alias starts with k, and reports the rest.
# expect: ^unlocked kimakers@contoso\.com$
# expect: ^left locked: weichen@contoso\.com$
# after: (Get-UMMailboxPIN weichen).LockedOut
# after-expect: ^True$
# after: Set-UMMailboxPIN weichen -LockedOut $false
Set-UMMailboxPIN kimakers -LockedOut $true
Set-UMMailboxPIN weichen -LockedOut $true
foreach ($p in Get-UMMailboxPIN | Where-Object LockedOut) {
    if ($p.UserID -like 'k*') {
        Set-UMMailboxPIN $p.UserID -LockedOut $false
        "unlocked $($p.UserID)"
    } else {
        "left locked: $($p.UserID)"
    }
}
