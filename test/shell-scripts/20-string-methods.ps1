# The string methods scripts use on user input.
# expect: ^\[tony smith\] \[TONY SMITH\]$
# expect: ^a\|b\|c$
# expect: ^contoso\.net True False True$
# expect: ^Tony 4 0010231$
$raw = '  Tony Smith  '
$name = $raw.Trim()
"[$($name.ToLower())] [$($name.ToUpper())]"
('a,b,c'.Split(',')) -join '|'
$addr = 'tony@contoso.com'
"$($addr.Replace('.com', '.net').Split('@')[1]) $($addr.StartsWith('tony')) $($addr.Contains('fabrikam')) $($addr.EndsWith('.com'))"
"$($name.Substring(0, 4)) $($name.IndexOf(' ')) $('10231'.PadLeft(7, '0'))"
