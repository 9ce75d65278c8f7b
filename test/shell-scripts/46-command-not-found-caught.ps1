# An unknown command inside try is caught as CommandNotFoundException.
# expect: ^no such command: UMPIN_SHELL_UNKNOWN_COMMAND$
try { Get-UMMailboxPINs -ErrorAction Stop }
catch [System.Management.Automation.CommandNotFoundException] { "no such command: $($_.FullyQualifiedErrorId)" }
