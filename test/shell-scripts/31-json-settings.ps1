# Settings from a JSON file drive the script; a summary goes back out as JSON.
# expect: ^policy Contoso Default Policy for janedow, lukeharris$
# expect: "Checked": 2
$settings = Get-Content settings.json -Raw | ConvertFrom-Json
"policy $($settings.Policy) for $($settings.Users -join ', ')"
$checked = 0
foreach ($u in $settings.Users) {
    if (Get-UMMailboxPIN $u) { $checked++ }
}
@{ Checked = $checked; Policy = $settings.Policy } | ConvertTo-Json
