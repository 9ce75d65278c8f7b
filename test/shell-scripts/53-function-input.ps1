# A function reads what is piped into it from $input.
# expect: ^2 users: a\.b, c\.d$
function Join-Users { $list = @($input); "$($list.Count) users: $($list -join ', ')" }
'a.b', 'c.d' | Join-Users
