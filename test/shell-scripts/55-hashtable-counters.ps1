# Counting outcomes in a hashtable, then printing them sorted.
# expect: ^en-US=15 zh-TW=5$
$counts = @{}
foreach ($m in Get-Mailbox | Where-Object { $_.UMEnabled -and $_.Alias -notlike 'newhire*' }) {
    $lang = if ($m.Languages.Count -gt 0) { $m.Languages[0] } else { 'en-US' }
    $counts[$lang] += 1
}
($counts.Keys | Sort-Object | ForEach-Object { "$_=$($counts[$_])" }) -join ' '
