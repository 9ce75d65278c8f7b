# A function counts in a script-scope variable; its own variables stay its own.
# expect: ^count=3 local=outer$
$count = 0
$local = 'outer'
function Add-One { $script:count++; $local = 'inner' }
Add-One; Add-One; Add-One
"count=$count local=$local"
