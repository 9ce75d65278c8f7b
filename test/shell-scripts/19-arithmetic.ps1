# Arithmetic, assignment operators and increments.
# expect: ^7 3 10 2\.5 1$
# expect: ^i=2 j=9 k=40 r=1$
# expect: ^-5 6$
"$(5 + 2) $(5 - 2) $(5 * 2) $(5 / 2) $(5 % 2)"
$i = 0; $i++; $i++
$j = 10; $j--
$k = 4; $k *= 10
$r = 7; $r %= 3
"i=$i j=$j k=$k r=$r"
$neg = -5
"$neg $(-$neg + 1)"
