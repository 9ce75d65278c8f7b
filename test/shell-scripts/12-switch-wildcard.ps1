# Sorts users into groups by name with switch -Wildcard, break and default.
# expect: ^tonysmith -> smiths$
# expect: ^samanthasmith -> smiths$
# expect: ^weichen -> other$
# expect: ^ayla -> a-names$
foreach ($u in 'tonysmith', 'samanthasmith', 'weichen', 'ayla') {
    $group = switch -Wildcard ($u) {
        '*smith' { 'smiths'; break }
        'a*' { 'a-names' }
        default { 'other' }
    }
    "$u -> $group"
}
