# An HTML report of PIN states for mailing, every value escaped.
# expect: ^<title>PIN report</title>$
# expect: <th>UserID</th><th>LockedOut</th>
# expect: ^rows: \d+$
$html = Get-UMMailboxPIN | Select-Object UserID, LockedOut | ConvertTo-Html -Title 'PIN report' -PreContent '<h1>PINs</h1>'
$html | Set-Content report.html
Get-Content report.html | Where-Object { $_ -match '<title>|<th>' }
"rows: $(@($html | Where-Object { $_ -like '<tr><td>*' }).Count)"
