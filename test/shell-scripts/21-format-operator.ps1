# -f with widths and number and date formats.
# expect: ^tonysmith +\|  +3$
# expect: ^1,234\.50 007 25\.0%$
# expect: ^2026-11-25$
'{0,-12}|{1,4}' -f 'tonysmith', 3
'{0:N2} {1:D3} {2:P1}' -f 1234.5, 7, 0.25
'{0:yyyy-MM-dd}' -f [datetime]'2026-11-25T10:00:00'
