# Functions with param blocks, defaults, switches, return and positional arguments.
# expect: ^Hello, Kim!$
# expect: ^HELLO, DAN$
# expect: ^120$
# expect: ^sum=6 count=3$
function Get-Greeting {
    param([string]$Name, [switch]$Shout, [string]$Mark = '!')
    $text = "Hello, $Name"
    if ($Shout) { return $text.ToUpper() }
    "$text$Mark"
}
function Get-Factorial([int]$n) {
    if ($n -le 1) { return 1 }
    $n * (Get-Factorial ($n - 1))
}
function Measure-List {
    param($Items)
    $sum = 0
    foreach ($i in $Items) { $sum += $i }
    "sum=$sum count=$($Items.Count)"
}
Get-Greeting -Name Kim
Get-Greeting Dan -Shout
Get-Factorial 5
Measure-List -Items 1, 2, 3
