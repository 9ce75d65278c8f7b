# Ranges, counting down, and Measure-Object over numbers.
# expect: ^sum=55 count=10$
# expect: ^3 2 1$
$m = 1..10 | Measure-Object -Sum
"sum=$($m.Sum) count=$($m.Count)"
"$(3..1)"
