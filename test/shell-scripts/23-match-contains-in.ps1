# -match with $Matches, -contains, -in, -notin, -like.
# expect: ^user tony at contoso$
# expect: ^True True True False$
# expect: ^2 matched$
if ('tony@contoso.com' -match '^(?<user>[^@]+)@(?<domain>\w+)') { "user $($Matches.user) at $($Matches['domain'])" }
$admins = 'tonysmith', 'kimakers'
"$($admins -contains 'KIMAKERS') $('tonysmith' -in $admins) $('weichen' -notin $admins) $('x' -in $admins)"
$found = @('tonysmith', 'weichen', 'tomas') -like 'to*'
"$($found.Count) matched"
