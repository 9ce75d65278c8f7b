# exit N ends the script with that code.
# expect: ^checked$
# expect-exit: 3
'checked'
if ($true) { exit 3 }
'never printed'
# hidden: never printed
