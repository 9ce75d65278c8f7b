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

    Script parameters   param([Parameter(Mandatory)][string]$Path, [int]$Days = 7, [switch]$Force)
                        first in a script; umpin shell script.ps1 -Path users.txt -Force
    Validation          [ValidateSet('a','b')] [ValidatePattern('^x')] [ValidateRange(1, 10)]
                        [ValidateNotNullOrEmpty()] on parameters of scripts and functions
    Advanced scripts    [CmdletBinding()] takes -Verbose, -ErrorAction;
                        [CmdletBinding(SupportsShouldProcess)] also -WhatIf and -Confirm, which
                        flow into every cmdlet and function called ($WhatIfPreference,
                        $ConfirmPreference, $VerbosePreference); $PSCmdlet.ShouldProcess(target,
                        action)
    Functions           function Name { param(...) ... }, function Name($a, [int]$b = 2) { ... }
    Control flow        if / elseif / else, foreach ($x in ...), for (;;), while, do { } while/until,
                        break, continue, loop labels (:outer foreach ... break outer), return,
                        exit N, switch (-Wildcard, -Regex, -Exact, -CaseSensitive, default,
                        { condition } clauses)
    Errors              try { } catch [Type] { } catch { } finally { }, throw, $ErrorActionPreference,
                        -ErrorAction, $?, $Error, $LASTEXITCODE, 2>$null, 2>&1
    Operators           + - * / % ++ -- = += -= *= /= %= .. -f -join -split -replace -eq -ne -gt -ge
                        -lt -le -like -notlike -match ($Matches) -notmatch -contains -notcontains
                        -in -notin -and -or -xor -not !  (-c forms are case-sensitive)
                        -is -isnot -as [type]
    Values              $true $false $null, numbers, 'text', "text $var $(expression)", here-strings,
                        1, 2, @( ), @{ }, { script block }, $a[0], $a[-1], $h['key'], .Count, .Length
    Casts               [int] [long] [double] [decimal] [string] [bool] [datetime] [array]
                        [hashtable] [pscustomobject] [string[]] [int[]]
    Typed variables     [int]$n = 5 keeps converting later assignments ($n = '7' stores 7)
    Splatting           $p = @{ Identity = $u; PinExpired = $true }; Set-UMMailboxPIN @p; @list
    Static members      [datetime]::Now Today UtcNow ParseExact(); [math]::Round() Floor()
                        Ceiling() Max() Min() Abs(); [string]::IsNullOrEmpty()
                        IsNullOrWhiteSpace() Join() Empty; [int]::Parse() MaxValue MinValue
    Methods             ToLower ToUpper Trim TrimStart TrimEnd Split Replace StartsWith EndsWith
                        Contains Substring IndexOf PadLeft PadRight ToString; a date's AddDays
                        AddHours AddMinutes. No other .NET.
    Redirection         > file, >> file, 2> file, 2>&1, > $null
    Files               Get-Content, Set-Content, Add-Content, Out-File, Tee-Object, Test-Path,
                        Join-Path, Import-Csv, Export-Csv: files on the machine the shell runs on,
                        with --server too.
    Secrets             Read-Host -AsSecureString reads without echo; the secure string binds to -Pin
                        only. A script's own messages (throw, Write-Error) mask PIN values.

    Limits              a run takes at most 20,000,000 steps (statements and loop passes):
                        an endless loop stops with UMPIN_SHELL_STEP_LIMIT

    Not accepted: Invoke-Expression, Invoke-Command, Start-Process, Add-Type, New-Object, running
    programs or other scripts, &, dot-sourcing, other [Type]::Members, classes, trap, other
    attributes ([ValidateScript()], [Alias()]), bitwise operators.

SEE ALSO
    docs/shell.md, "The script language"; Get-Help <cmdlet> -Examples
`;
