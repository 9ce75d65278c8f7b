# After a reset, the admin audit log has the entry.
# expect: ^audited: True$
Set-UMMailboxPIN junliu -LockedOut $false
$entries = @(Search-AdminAuditLog -Cmdlets Set-UMMailboxPIN | Where-Object { $_.ObjectModified -like '*junliu*' })
"audited: $($entries.Count -ge 1)"
