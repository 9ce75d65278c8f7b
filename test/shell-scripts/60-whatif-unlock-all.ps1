# A dry run of "unlock everyone locked out": nothing changes.
# expect: ^What if: Performing the operation "Set-UMMailboxPIN" on target "[^"]+"\.$
# after: (Get-UMMailboxPIN lukeharris).LockedOut
# after-expect: ^True$
# after: Set-UMMailboxPIN lukeharris -LockedOut $false
Set-UMMailboxPIN lukeharris -LockedOut $true
Get-UMMailboxPIN | Where-Object LockedOut | Set-UMMailboxPIN -LockedOut $false -WhatIf
