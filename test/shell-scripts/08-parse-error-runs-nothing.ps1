# A construct outside the subset on line 8 stops the script before line 6 runs.
# expect-error: At 08-parse-error-runs-nothing\.ps1:line:8 char:1
# expect-error: UMPIN_SHELL_PARSE_ERROR
# after: (Get-UMMailboxPIN ayla).LockedOut
# after-expect: ^False$
Set-UMMailboxPIN ayla -LockedOut $true
'half done'
Invoke-Expression 'Set-UMMailboxPIN ayla -LockedOut $false'
