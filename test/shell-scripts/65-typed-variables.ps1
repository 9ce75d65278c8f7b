# Typed variables keep their type: a count read as text stays a number, a list stays a list, a bad value is refused where it is assigned.
# expect: ^Batch size 25, next 26$
# expect: ^Users: 2 \(jeffhay; pilarpinilla\)$
# expect: ^Report due in December$
# expect: ^Still 25$
# expect-error: Cannot convert value "lots" to type \[int\] of the variable \$batchSize
# expect-error: At 65-typed-variables\.ps1:line:\d+ char:1
# expect-error: UMPIN_SHELL_VARIABLE_CONVERSION
[int]$batchSize = 10
$batchSize = '25'
"Batch size $batchSize, next $($batchSize + 1)"
[string[]]$users = 'jeffhay'
$users += 'pilarpinilla'
"Users: $($users.Count) ($($users -join '; '))"
[datetime]$due = '2026-11-30'
$due = $due.AddDays(2)
"Report due in $($due.ToString('MMMM'))"
$batchSize = 'lots'
"Still $batchSize"
