# Write-Verbose prints only when asked for.
# expect: ^VERBOSE: now shown$
# hidden: VERBOSE: not shown
Write-Verbose 'not shown'
$VerbosePreference = 'Continue'
Write-Verbose 'now shown'
