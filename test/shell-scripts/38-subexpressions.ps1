# $( ) in strings, arguments, conditions and hashtables.
# expect: ^20 UM users, 5 in zh-TW$
# expect: ^Tony Smith$
# expect: ^big$
"$(@(Get-UMMailboxPIN | Where-Object { $_.UserID -notlike 'newhire*' }).Count) UM users, $(@(Get-Mailbox | Where-Object { $_.Languages -contains 'zh-TW' }).Count) in zh-TW"
Write-Output $((Get-Mailbox tonysmith).DisplayName)
if ($(1 + 1) -gt 1) { 'big' }
