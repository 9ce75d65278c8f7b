import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/fixtures.js';
import { applyEumEdit, eumAddresses, parseEmailAddresses, phoneContext } from './proxy-addresses.js';

const eum = (extension: string, phoneContext: string | null = 'Contoso.contoso.com') =>
  expect.objectContaining({ extension, phoneContext });

describe('Set-Mailbox -EmailAddresses', () => {
  it('an @{Add; Remove} edit of EUM addresses changes the extensions, prefix in any letter case', () => {
    const edit = parseEmailAddresses({
      add: ['eum:10299;phone-context=Contoso.contoso.com'],
      remove: ['EUM:10231;phone-context=Contoso.contoso.com'],
    });
    expect(edit).toEqual({ eum: { add: [eum('10299')], remove: [eum('10231')] }, eumKept: false, ignored: [] });
    expect(applyEumEdit(['10231', '10232'], edit.eum!, 'Contoso', 'tonysmith@contoso.com')).toEqual(['10232', '10299']);
  });

  it('a replacing list sets the whole EUM list and its SMTP: address becomes the primary one', () => {
    const edit = parseEmailAddresses([
      'SMTP:tony@contoso.com',
      'smtp:tonys@contoso.com',
      'EUM:10300;phone-context=Contoso.contoso.com',
      'X500:/o=Contoso/cn=tony',
    ]);
    expect(edit.primary).toBe('tony@contoso.com');
    expect(edit.ignored).toEqual(['tonys@contoso.com', 'X500:/o=Contoso/cn=tony']);
    expect(applyEumEdit(['10231'], edit.eum!, 'Contoso', 'tony@contoso.com')).toEqual(['10300']);
  });

  it('without an SMTP: address the first SMTP address of a replacing list is the primary one, as in Exchange', () => {
    expect(parseEmailAddresses(['tony@contoso.com', 'smtp:t@contoso.com'])).toEqual({
      primary: 'tony@contoso.com',
      eumKept: true,
      ignored: ['t@contoso.com'],
    });
  });

  it('an added address without a prefix is a secondary SMTP address, which umpin does not keep', () => {
    expect(parseEmailAddresses({ add: ['Jwoods@contoso.com'], remove: [] })).toEqual({
      eumKept: false,
      ignored: ['Jwoods@contoso.com'],
    });
    expect(parseEmailAddresses({ add: ['SMTP:jw@contoso.com'], remove: ['smtp:old@contoso.com'] })).toEqual({
      primary: 'jw@contoso.com',
      eumKept: false,
      ignored: ['old@contoso.com'],
    });
  });

  it('two SMTP: addresses, or an EUM address without an extension, are refused naming EmailAddresses', () => {
    const two = thrown(() => parseEmailAddresses(['SMTP:a@contoso.com', 'SMTP:b@contoso.com']));
    expect(two).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'EmailAddresses' });
    expect(
      thrown(() => parseEmailAddresses({ add: ['eum:;phone-context=Contoso.contoso.com'], remove: [] })).field,
    ).toBe('EmailAddresses');
  });

  it('a phone-context of another dial plan is refused; one without a context, or another domain of the same dial plan, is taken', () => {
    const other = thrown(() =>
      applyEumEdit(
        ['10231'],
        {
          add: [
            {
              extension: '10299',
              phoneContext: 'Fabrikam.contoso.com',
              text: 'eum:10299;phone-context=Fabrikam.contoso.com',
            },
          ],
          remove: [],
        },
        'Contoso',
        'tonysmith@contoso.com',
      ),
    );
    expect(other).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'EmailAddresses' });
    expect(other.message).toContain('Fabrikam.contoso.com');
    expect(other.message).toContain('Contoso');
    expect(
      applyEumEdit(
        ['10231'],
        { replace: [{ extension: '10299', phoneContext: null, text: 'eum:10299' }] },
        'Contoso',
        'tonysmith@contoso.com',
      ),
    ).toEqual(['10299']);
    expect(
      applyEumEdit(
        ['10231'],
        { add: [{ extension: '10299', phoneContext: 'contoso.CONTOSO.NET', text: '' }], remove: [] },
        'Contoso',
        'tonysmith@contoso.com',
      ),
    ).toEqual(['10231', '10299']);
  });

  it('adding an extension already there, or removing one that is not, changes nothing', () => {
    const edit = parseEmailAddresses({
      add: ['eum:10231;phone-context=Contoso.contoso.com'],
      remove: ['eum:10999;phone-context=Contoso.contoso.com'],
    });
    expect(applyEumEdit(['10231'], edit.eum!, 'Contoso', 'tonysmith@contoso.com')).toEqual(['10231']);
  });

  it('EUM addresses show as Exchange writes them: the first in capitals, phone-context = dial plan.domain', () => {
    expect(phoneContext('Contoso', 'tonysmith@contoso.com')).toBe('Contoso.contoso.com');
    expect(eumAddresses(['10231', '10298'], 'Contoso', 'tonysmith@contoso.com')).toEqual([
      'EUM:10231;phone-context=Contoso.contoso.com',
      'eum:10298;phone-context=Contoso.contoso.com',
    ]);
  });
});
