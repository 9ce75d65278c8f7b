# A report of the PIN rules of every UM mailbox policy, one line each.
# expect: ^Contoso Default Policy: PINs of at least \d+ digits, \d+ remembered$
foreach ($p in Get-UMMailboxPolicy) {
    '{0}: PINs of at least {1} digits, {2} remembered' -f $p.Name, $p.MinPINLength, $p.PINHistoryCount
}
