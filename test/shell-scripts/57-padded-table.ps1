# A hand-made fixed-width table with PadRight and -f.
# expect: ^User +Ext$
# expect: ^tonysmith +10231$
'User'.PadRight(12) + 'Ext'
foreach ($u in @(@{ Name = 'tonysmith'; Ext = '10231' })) { '{0,-12}{1}' -f $u.Name, $u.Ext }
