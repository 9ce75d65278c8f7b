# Tee-Object keeps a copy in a file while the pipeline goes on.
# expect: ^2 kept, 2 in the file$
$kept = 'karenberg', 'scottcooper' | Tee-Object -FilePath tee.txt
"$($kept.Count) kept, $(@(Get-Content tee.txt).Count) in the file"
