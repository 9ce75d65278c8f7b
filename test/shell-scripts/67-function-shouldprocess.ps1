# A function with [CmdletBinding(SupportsShouldProcess)]: -WhatIf for one call only, the real change for the next; -Verbose with [CmdletBinding()].
# expect: ^What if: Performing the operation "Reset PIN" on target "lukeharris"\.$
# expect: ^skipped lukeharris$
# expect: ^expired lukeharris$
# expect: ^VERBOSE: checking lukeharris$
# hidden: VERBOSE: quiet
# after: (Get-UMMailboxPIN lukeharris).PinExpired
# after-expect: ^True$
function Expire-Pin {
    [CmdletBinding(SupportsShouldProcess)]
    param([string]$Identity)
    if ($PSCmdlet.ShouldProcess($Identity, 'Reset PIN')) {
        Set-UMMailboxPIN -Identity $Identity -PinExpired $true
        "expired $Identity"
    } else {
        "skipped $Identity"
    }
}
function Test-One {
    [CmdletBinding()]
    param([string]$Identity)
    Write-Verbose "checking $Identity"
}
Expire-Pin -Identity lukeharris -WhatIf
Expire-Pin -Identity lukeharris
Test-One lukeharris -Verbose
Test-One quiet
