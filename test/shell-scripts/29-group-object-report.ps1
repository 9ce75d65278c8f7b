# A count per policy and per language with Group-Object.
# expect: Contoso Default Policy
# expect: ^zh-TW: 5$
Get-UMMailbox | Group-Object UMMailboxPolicy -NoElement | Format-Table Count, Name
Get-Mailbox | Where-Object { $_.Languages -contains 'zh-TW' } | Group-Object { $_.Languages[0] } | ForEach-Object { "$($_.Name): $($_.Count)" }
