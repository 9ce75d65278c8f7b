# A morning check: does anyone need unlocking?
# expect: ^No mailbox is locked out\.$
$locked = @(Get-UMMailboxPIN | Where-Object { $_.LockedOut })
if ($locked.Count -gt 0) {
    '{0} mailboxes are locked out' -f $locked.Count
} elseif ($null -eq $locked) {
    'cannot tell'
} else {
    Write-Output 'No mailbox is locked out.'
}
