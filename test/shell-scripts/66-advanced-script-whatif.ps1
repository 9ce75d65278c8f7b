# An advanced script: [CmdletBinding(SupportsShouldProcess)] takes -WhatIf, which flows into every cmdlet it calls, its functions, and $PSCmdlet.ShouldProcess.
# args: -Users jeffhay,pilarpinilla -WhatIf
# expect: ^What if: Performing the operation "Set-UMMailboxPIN" on target "[^"]*jeffhay[^"]*"\.$
# expect: ^What if: Performing the operation "Lock out" on target "pilarpinilla"\.$
# expect: ^What if: Performing the operation "Set-UMMailboxPIN" on target "[^"]*pilarpinilla[^"]*"\.$
# expect: ^Locked 0 of 2, dry run: True$
# expect: ^What if: Performing the operation "Output to File" on target "dry-run-report\.txt"\.$
# after: (Get-UMMailboxPIN jeffhay).LockedOut; (Get-UMMailboxPIN pilarpinilla).LockedOut
# after-expect: ^False\nFalse$
# after: Test-Path dry-run-report.txt
# after-expect: ^False$
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][string[]]$Users
)
function Lock-One([string]$Identity) {
    Set-UMMailboxPIN -Identity $Identity -LockedOut $true
}
$locked = 0
foreach ($u in $Users) {
    Lock-One $u
    if ($PSCmdlet.ShouldProcess($u, 'Lock out')) {
        Set-UMMailboxPIN -Identity $u -LockedOut $true
        $locked++
    }
}
"Locked $locked of $($Users.Count), dry run: $WhatIfPreference"
"Locked $locked" | Out-File dry-run-report.txt
