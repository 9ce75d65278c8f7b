# $null on either side, empty results, and truthiness.
# expect: ^no such mailbox$
# expect: ^True True False$
# expect: ^empty list is false$
$m = Get-UMMailboxPIN -Identity nobody-here -ErrorAction SilentlyContinue
if ($null -eq $m) { 'no such mailbox' }
$x = $null
"$($null -eq $x) $($x -eq $null) $([bool]$x)"
$list = @()
if (-not $list) { 'empty list is false' }
