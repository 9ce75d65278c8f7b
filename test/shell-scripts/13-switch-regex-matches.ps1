# switch -Regex with $Matches, and plain values with several matches.
# expect: ^extension 10231 in plan Contoso$
# expect: ^one$
# expect: ^also one$
# expect: ^unknown: 7$
switch -Regex ('eum:10231;phone-context=Contoso') {
    '^eum:(?<ext>\d+);phone-context=(?<plan>\w+)' { "extension $($Matches.ext) in plan $($Matches.plan)" }
}
switch (1, 7) {
    1 { 'one' }
    { $_ -eq 1 } { 'also one' }
    default { "unknown: $_" }
}
