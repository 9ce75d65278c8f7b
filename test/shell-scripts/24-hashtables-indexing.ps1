# Hashtables, indexes and .Count/.Length.
# expect: ^first=a last=c second-last=b count=3$
# expect: ^Contoso Default Policy / 2 keys / 10231$
# expect: ^len=9 keys: Policy,Ext$
$a = 'a', 'b', 'c'
"first=$($a[0]) last=$($a[-1]) second-last=$($a[-2]) count=$($a.Count)"
$h = @{ Policy = 'Contoso Default Policy'; Ext = '10231' }
$h['Ext2'] = 'x'
$h.Remove = $null
"$($h['policy']) / $(@($h.Keys | Where-Object { $_ -like 'Ext*' }).Count) keys / $($h.Ext)"
"len=$('tonysmith'.Length) keys: $($h.Keys[0..1] -join ',')"
