# A script whose mandatory parameter was not given runs nothing.
# expect-error: UMPIN_SHELL_PARAMETER_MISSING
# expect-error: Identity
param([Parameter(Mandatory = $true)][string]$Identity)
'this line never runs'
