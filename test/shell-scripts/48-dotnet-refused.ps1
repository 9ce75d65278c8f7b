# .NET beyond the listed string methods is refused before anything runs.
# expect-error: UMPIN_SHELL_PARSE_ERROR
# expect-error: Method calls other than the string methods
'first line never runs'
$x = 'abc'
$x.GetType().Assembly
