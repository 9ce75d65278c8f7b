# do/until and do/while count the same way.
# expect: ^until: 1 2 3$
# expect: ^while: 3 2 1$
$n = 0; $seen = @()
do { $n++; $seen += $n } until ($n -ge 3)
"until: $seen"
$seen = @()
do { $seen += $n; $n-- } while ($n -gt 0)
"while: $($seen -join ' ')"
