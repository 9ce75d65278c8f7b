import { describe, expect, it } from 'vitest';
import { redactParameters } from './audit.js';

describe('redactParameters', () => {
  it('replaces PINs and other secrets by a marker, keeps the rest, drops undefined', () => {
    expect(
      redactParameters({
        Identity: 'tonysmith',
        Pin: '123456',
        NewPIN: '654321',
        Password: 'hunter2hunter2',
        AdminPassword: 'x',
        Token: 'umpin_abc',
        SetupToken: 'abc',
        SessionId: 'abc',
        CsrfToken: 'abc',
        ClientSecret: 'abc',
        Name: 'alice',
        Role: 'HelpDesk',
        Scope: undefined,
        Disabled: false,
        Nothing: null,
        PasswordHint: null,
      }),
    ).toEqual({
      Identity: 'tonysmith',
      Pin: '(redacted)',
      NewPIN: '(redacted)',
      Password: '(redacted)',
      AdminPassword: '(redacted)',
      Token: '(redacted)',
      SetupToken: '(redacted)',
      SessionId: '(redacted)',
      CsrfToken: '(redacted)',
      ClientSecret: '(redacted)',
      Name: 'alice',
      Role: 'HelpDesk',
      Disabled: false,
      Nothing: null,
      PasswordHint: null,
    });
  });
});
