# A report header with string multiplication and concatenation.
# expect: ^====================$
# expect: ^PIN report for Contoso$
# expect: ^ab ab ab$
$line = '=' * 20
$line
'PIN report for ' + 'Contoso'
"$(@('ab') * 3)"
