# Loop labels: stop scanning every list at the first locked-out user (break outer), and move to the next list on a blank name (continue outer).
# expect: ^checked helpdesk: danjump$
# expect: ^first locked: ayla \(list sales\)$
# expect: ^lists looked at: 3$
# hidden: checked sales: karenberg
# hidden: checked helpdesk: junliu
# after: Set-UMMailboxPIN ayla -LockedOut $false
Set-UMMailboxPIN ayla -LockedOut $true
$lists = @(
    @{ Name = 'helpdesk'; Users = @('danjump', '', 'junliu') },
    @{ Name = 'sales'; Users = @('ayla', 'karenberg') },
    @{ Name = 'finance'; Users = @('meilin') }
)
$seen = 0
:lists foreach ($list in $lists) {
    $seen++
    foreach ($u in $list.Users) {
        if ([string]::IsNullOrWhiteSpace($u)) { continue lists }
        if ((Get-UMMailboxPIN $u).LockedOut) {
            "first locked: $u (list $($list.Name))"
            break lists
        }
        "checked $($list.Name): $u"
    }
}
"lists looked at: $($seen + 1)"
