# A PIN held in a variable never reaches an error message the script makes.
# expect-error: PIN \*+ was refused for samanthasmith
# hidden: 5820417
$pinForSam = '5820417'
Set-UMMailboxPIN samanthasmith -Pin $pinForSam -PinExpired $true
throw "PIN $pinForSam was refused for samanthasmith"
