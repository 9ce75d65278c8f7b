# $ErrorActionPreference = 'Stop' makes a cmdlet's error catchable without -ErrorAction.
# expect: ^caught: UMPIN_
# expect: ^after$
$ErrorActionPreference = 'Stop'
try {
    Set-UMMailboxPIN -Identity nobody-here -LockedOut $false
    'not reached'
} catch {
    "caught: $($_.FullyQualifiedErrorId)"
}
$ErrorActionPreference = 'Continue'
'after'
