# A failing object in a loop is reported and the loop goes on (no -ErrorAction Stop).
# expect: ^processed 3$
# expect-error: nobody-here
$n = 0
foreach ($u in 'karenberg', 'nobody-here', 'scottcooper') {
    Set-UMMailboxPIN -Identity $u -LockedOut $false
    $n++
}
"processed $n"
