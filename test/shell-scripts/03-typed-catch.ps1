# A reset that skips unknown users by category, and goes on.
# expect: Skipped nosuchuser: ObjectNotFound
# expect: Reset ellenadams
# expect: done$
# hidden: 4719263
$users = 'nosuchuser', 'ellenadams'
foreach ($u in $users) {
    try {
        Set-UMMailboxPIN -Identity $u -Pin 4719263 -PinExpired $true -ErrorAction Stop
        "Reset $u"
    } catch [Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException] {
        "Skipped ${u}: $($_.CategoryInfo.Category)"
    } catch {
        "Unexpected: $_"
    } finally {
        Write-Verbose "finished $u"
    }
}
'done'
