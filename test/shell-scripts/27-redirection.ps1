# > and >> write output to files; 2>&1 turns errors into output; 2>$null drops them.
# expect: ^one\|two$
# expect: ^merged: .*nobody-here
# expect: ^dropped$
'one' > redirect.txt
'two' >> redirect.txt
(Get-Content redirect.txt) -join '|'
$merged = Set-UMMailboxPIN nobody-here -LockedOut $false 2>&1
"merged: $merged"
Set-UMMailboxPIN nobody-here -LockedOut $false 2>$null
'dropped'
Get-UMMailboxPIN tonysmith > $null
