/**
 * `Get-Help about_umpin_language`: what the shell's PowerShell accepts, in brief; docs/shell.md
 * ("The script language") has the whole list.
 */
export const ABOUT_UMPIN_LANGUAGE = `
TOPIC
    about_umpin_language

SHORT DESCRIPTION
    The PowerShell that umpin's shell runs: whole scripts, parsed before they run.

LONG DESCRIPTION
    A script (a .ps1 file, -c, piped commands) is parsed whole first: anything outside this
    list is a parse error with its line and column, and nothing runs.

    Script parameters   param([Parameter(Mandatory)][string]$Path, [int]$Days = 7, [switch]$WhatIf)
                        first in a script; umpin shell script.ps1 -Path users.txt -WhatIf
    Functions           function Name { param(...) ... }, function Name($a, [int]$b = 2) { ... }
    Control flow        if / elseif / else, foreach ($x in ...), for (;;), while, do { } while/until,
                        break, continue, return, exit N, switch (-Wildcard, -Regex, -Exact,
                        -CaseSensitive, default, { condition } clauses)
    Errors              try { } catch [Type] { } catch { } finally { }, throw, $ErrorActionPreference,
                        -ErrorAction, $?, $Error, $LASTEXITCODE, 2>$null, 2>&1
    Operators           + - * / % ++ -- = += -= *= /= %= .. -f -join -split -replace -eq -ne -gt -ge
                        -lt -le -like -notlike -match ($Matches) -notmatch -contains -notcontains
                        -in -notin -and -or -xor -not !  (-c forms are case-sensitive)
    Values              $true $false $null, numbers, 'text', "text $var $(expression)", here-strings,
                        1, 2, @( ), @{ }, { script block }, $a[0], $a[-1], $h['key'], .Count, .Length
    Casts               [int] [long] [double] [decimal] [string] [bool] [datetime] [array]
                        [hashtable] [pscustomobject] [string[]] [int[]]
    Methods             ToLower ToUpper Trim TrimStart TrimEnd Split Replace StartsWith EndsWith
                        Contains Substring IndexOf PadLeft PadRight ToString; a date's AddDays
                        AddHours AddMinutes. No other .NET.
    Redirection         > file, >> file, 2> file, 2>&1, > $null
    Files               Get-Content, Set-Content, Add-Content, Out-File, Tee-Object, Test-Path,
                        Join-Path, Import-Csv, Export-Csv: files on the machine the shell runs on,
                        with --server too.
    Secrets             Read-Host -AsSecureString reads without echo; the secure string binds to -Pin
                        only. A script's own messages (throw, Write-Error) mask PIN values.

    Not accepted: Invoke-Expression, Invoke-Command, Start-Process, Add-Type, New-Object, running
    programs or other scripts, &, dot-sourcing, [Type]::Member, classes, trap, splatting, -is/-as.

SEE ALSO
    docs/shell.md, "The script language"; Get-Help <cmdlet> -Examples
`;
