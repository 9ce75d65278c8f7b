# A script's parameters validated before anything runs: a mode outside the allowed set is refused with PowerShell's words, and nothing changes.
# args: -Mode everyone -Days 30
# expect-error: Cannot validate argument on parameter 'Mode' of 71-validated-script-parameters\.ps1\. The argument "everyone" does not belong to the set "Locked,Expired" specified by the ValidateSet attribute\.
# expect-error: UMPIN_SHELL_VALIDATION_FAILED
# hidden: started
# after: (Get-UMMailboxPIN chihhaolin).LockedOut
# after-expect: ^False$
param(
    [Parameter(Mandatory)][ValidateSet('Locked', 'Expired')][string]$Mode,
    [ValidateRange(1, 90)][int]$Days = 7
)
'started'
Set-UMMailboxPIN chihhaolin -LockedOut $true
