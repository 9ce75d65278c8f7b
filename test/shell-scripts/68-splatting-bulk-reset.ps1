# Splatting: the settings of a reset kept once in a hashtable and passed with @, a list of arguments passed the same way.
# expect: ^reset mollydempsey@contoso\.com: expired True, locked False$
# expect: ^reset scottcooper@contoso\.com: expired True, locked False$
# expect: ^Molly Dempsey 10244$
# expect: ^What if: Performing the operation "Set-UMMailboxPIN" on target "[^"]*karenberg[^"]*"\.$
# after: (Get-UMMailboxPIN karenberg).LockedOut
# after-expect: ^False$
$reset = @{ PinExpired = $true; LockedOut = $false; Confirm = $false }
foreach ($u in 'mollydempsey', 'scottcooper') {
    Set-UMMailboxPIN -Identity $u @reset
    $p = Get-UMMailboxPIN $u
    "reset $($p.UserID): expired $($p.PinExpired), locked $($p.LockedOut)"
}
$dryRun = @{ Identity = 'karenberg'; LockedOut = $true; WhatIf = $true }
Set-UMMailboxPIN @dryRun | Out-Null
$lookup = @('mollydempsey')
$m = Get-UMMailbox @lookup
"$($m.DisplayName) $($m.Extensions -replace '\D', '' -join '')"
