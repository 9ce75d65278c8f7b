# throw stops the script after its finally block; nothing after it runs.
# expect: cleaning up
# expect-error: users\.txt is missing
# expect-error: UMPIN_SHELL_SCRIPT_ERROR
try {
    if (-not (Test-Path users.txt)) { throw 'users.txt is missing' }
} finally {
    'cleaning up'
}
'never printed'
# hidden: never printed
