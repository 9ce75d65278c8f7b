# A helper function whose parameters are validated: a bad address or batch size is caught as a binding error, the good calls go on.
# expect: ^queued yutinghuang@contoso\.com in batches of 10$
# expect: ^refused: Cannot validate argument on parameter 'User' of Add-ToQueue\. The argument "yutinghuang@fabrikam\.com" does not match the "\^\[a-z\]\+@contoso\\\.com\$" pattern\.$
# expect: ^refused: Cannot validate argument on parameter 'BatchSize' of Add-ToQueue\. The argument "500" is outside the range 1\.\.100\.$
# expect: ^refused: Cannot validate argument on parameter 'Reason' of Add-ToQueue\. The argument is null or empty\.$
# expect: ^queued 1 of 4$
function Add-ToQueue {
    param(
        [ValidatePattern('^[a-z]+@contoso\.com$')][string]$User,
        [ValidateRange(1, 100)][int]$BatchSize = 10,
        [ValidateNotNullOrEmpty()][string]$Reason = 'scheduled'
    )
    "queued $User in batches of $BatchSize"
}
$calls = @(
    @{ User = 'yutinghuang@contoso.com' },
    @{ User = 'yutinghuang@fabrikam.com' },
    @{ User = 'yutinghuang@contoso.com'; BatchSize = 500 },
    @{ User = 'yutinghuang@contoso.com'; Reason = '' }
)
$ok = 0
foreach ($c in $calls) {
    try {
        Add-ToQueue @c
        $ok++
    } catch [System.Management.Automation.ParameterBindingException] {
        "refused: $($_.Exception.Message)"
    }
}
"queued $ok of $($calls.Count)"
