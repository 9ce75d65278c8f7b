# Running a program is refused before anything runs.
# expect-error: UMPIN_SHELL_PARSE_ERROR
# expect-error: line:6 char:1
'first line never runs'
# the next line runs a program
.\reset-tool.exe -all
