# A dry run: the script's -WhatIf switch passes on to every change; a comma list from the command line is a list.
# args: -Users jeffhay,pilarpinilla -WhatIf
# expect: What if: .*"jeffhay"
# expect: What if: .*"pilarpinilla"
# expect: Dry run: nothing was changed
# after: (Get-UMMailboxPIN jeffhay).LockedOut
# after-expect: ^False$
param(
    [string[]]$Users = @('jeffhay'),
    [switch]$WhatIf
)
foreach ($u in $Users) {
    Set-UMMailboxPIN -Identity $u -LockedOut $true -WhatIf:$WhatIf
}
if ($WhatIf) { 'Dry run: nothing was changed' } else { 'Changed' }
