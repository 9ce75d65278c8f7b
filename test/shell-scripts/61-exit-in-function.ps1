# exit inside a function ends the whole script with its code.
# expect: ^before$
# expect-exit: 4
# hidden: after
function Stop-Here { exit 4 }
'before'
Stop-Here
'after'
