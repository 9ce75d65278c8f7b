# The language's own help topic.
# expect: ^    about_umpin_language$
# expect: Not accepted: Invoke-Expression
# expect: ^    Typed variables     \[int\]\$n = 5
# expect: ^    Static members      \[datetime\]::Now
# expect: ^    Advanced scripts    \[CmdletBinding\(\)\] takes -Verbose, -ErrorAction
Get-Help about_umpin_language
