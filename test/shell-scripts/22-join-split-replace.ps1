# -join, -split and -replace as reports and input cleaning use them.
# expect: ^tonysmith; kimakers$
# expect: ^3 parts: a b c$
# expect: ^10231-10232$
# expect: ^x=1 y=2$
$list = 'tonysmith', 'kimakers'
$list -join '; '
$parts = 'a, b,c' -split '\s*,\s*'
"$($parts.Count) parts: $parts"
'10231,10232' -replace ',', '-'
'x:1 y:2' -replace '(\w):(\d)', '$1=$2'
