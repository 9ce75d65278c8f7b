# Write-Error reports and the script goes on; -ErrorAction Stop makes it catchable.
# expect: ^still running$
# expect: ^caught: stop here$
# expect-error: Write-Error : weichen has no policy
Write-Error "weichen has no policy"
'still running'
try { Write-Error 'stop here' -ErrorAction Stop } catch { "caught: $_" }
