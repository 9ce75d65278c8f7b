# Parameters from the command line: a name by its prefix, a number, and one left over in $args.
# args: -Ident pilarpinilla -Days 30 extra
# expect: Checking pilarpinilla over 30 days \(more than a week\), extra: extra
param([string]$Identity, [int]$Days = 7)
$extra = $args -join ','
"Checking $Identity over $Days days ($(if ($Days -gt 7) { 'more than a week' } else { 'a week' })), extra: $extra"
