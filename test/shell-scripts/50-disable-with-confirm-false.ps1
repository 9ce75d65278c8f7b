# Disables and re-enables a UM mailbox in a script, with -Confirm:$false and a check after.
# expect: ^yutinghuang disabled: True$
# expect: ^yutinghuang enabled again: True$
Disable-UMMailbox -Identity yutinghuang -Confirm:$false | Out-Null
$m = Get-Mailbox yutinghuang
"yutinghuang disabled: $(-not $m.UMEnabled)"
Enable-UMMailbox -Identity yutinghuang -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10249 | Out-Null
"yutinghuang enabled again: $((Get-Mailbox yutinghuang).UMEnabled)"
