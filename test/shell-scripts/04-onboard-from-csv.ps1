# Onboarding from a CSV: make each mailbox, UM-enable it, report the rows that failed.
# expect: newhire1: enabled on 10401
# expect: newhire2: enabled on 10402
# expect: badhire: FAILED
# expect: 2 of 3 onboarded
# after: Get-UMMailbox newhire2 | ForEach-Object { $_.Extensions -join ',' }
# after-expect: 10402
$rows = Import-Csv -Path new-starters.csv
$done = 0
foreach ($row in $rows) {
    try {
        New-Mailbox -Name $row.DisplayName -Alias $row.Alias -PrimarySmtpAddress "$($row.Alias)@contoso.com" -ErrorAction Stop | Out-Null
        Enable-UMMailbox -Identity $row.Alias -UMMailboxPolicy 'Contoso Default Policy' -Extensions $row.Extension -ErrorAction Stop | Out-Null
        Write-Output ("{0}: enabled on {1}" -f $row.Alias, $row.Extension)
        $done += 1
    } catch {
        Write-Output "$($row.Alias): FAILED ($($_.FullyQualifiedErrorId))"
    }
}
"$done of $($rows.Count) onboarded"
