import { describe, expect, it } from 'vitest';
import { parse } from './parser.js';
import { printScript } from './print.js';

const reprint = (source: string): string => printScript(parse(source));

describe('printScript', () => {
  it.each([
    [
      'Set-UMMailboxPIN  -Identity tonysmith@contoso.com -PIN 0123456 -PinExpired:$TRUE',
      'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 0123456 -PinExpired:$true',
    ],
    [
      "Get-UMMailbox | ? {$_.UMMailboxPolicy -like 'Contoso*'} | Set-UMMailboxPIN",
      "Get-UMMailbox | ? {$_.UMMailboxPolicy -like 'Contoso*'} | Set-UMMailboxPIN",
    ],
    ['foreach ($u in $users) {\n a $u\n b\n}', 'foreach ($u in $users) { a $u; b }'],
    [
      '$m = @{Add="x"; "a b"=1,2}; !$a -and $b -CEQ "x$($y)"',
      '$m = @{Add = "x"; \'a b\' = 1,2}\n-not $a -and $b -ceq "x$($y)"',
    ],
    ["Set-X 'it''s' $x.'a b' ${a b}.c", "Set-X 'it''s' $x.'a b' ${a b}.c"],
    // words keep their value: escapes where a character would end or change the word
    ['a `-x `1 `u{30}123 a`,b $HOME\\docs "$a:b"', 'a `-x `1 `u{30}123 a`,b "${HOME}\\docs" "${a:b}"'],
    ['a "x`$y `"q`"" \'it\u2019\u2019s\'', 'a "x`$y `"q`"" \'it\u2019\u2019s\''],
    // a command named :x keeps its escape: unescaped it would be a loop label
    ['`:if a:b', '`:if a:b'],
  ])('%j', (source, printed) => {
    expect(reprint(source)).toBe(printed);
  });

  it('prints what parses back to the same words', () => {
    const source = 'a `-x `1 `u{30}123 `u{30}x a`,b `#c `@d `$e `0 "`t"';
    const words = (s: string) =>
      (parse(s).statements[0] as { elements: Array<{ args: unknown[] }> }).elements[0]!.args.map(
        (a) => (a as { value: { value: unknown } }).value.value,
      );
    expect(words(reprint(source))).toEqual(words(source));
    expect(words(source)).toEqual(['-x', '1', '0123', '0x', 'a,b', '#c', '@d', '$e', '\0', '\t']);
  });
});
