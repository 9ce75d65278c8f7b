# The language's own help topic.
# expect: ^    about_umpin_language$
# expect: Not accepted: Invoke-Expression
Get-Help about_umpin_language
