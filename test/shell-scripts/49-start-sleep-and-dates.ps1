# Start-Sleep waits; Get-Date and AddDays compare.
# expect: ^waited: True$
# expect: ^a week ago is earlier: True$
$start = Get-Date
Start-Sleep -Milliseconds 20
$end = Get-Date
"waited: $($end -ge $start)"
"a week ago is earlier: $((Get-Date).AddDays(-7) -lt $start)"
