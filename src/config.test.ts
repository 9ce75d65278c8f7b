/** Configuration read from the environment: UMPIN_PUBLIC_URL, the address PIN links point at. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { UmpinError } from './domain/errors.js';

const env = (over: Record<string, string>) => ({ UMPIN_DATA_DIR: '/tmp/umpin-config-test', ...over });

describe('UMPIN_PUBLIC_URL', () => {
  it('is taken as given, without a trailing slash; a path prefix stays', () => {
    expect(loadConfig(env({ UMPIN_PUBLIC_URL: 'https://voicemail.contoso.com/' })).publicUrl).toBe(
      'https://voicemail.contoso.com',
    );
    expect(loadConfig(env({ UMPIN_PUBLIC_URL: 'https://contoso.com/umpin/' })).publicUrl).toBe(
      'https://contoso.com/umpin',
    );
  });

  it('defaults to the listen address, localhost for a wildcard one', () => {
    expect(loadConfig(env({})).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig(env({ UMPIN_HTTP_HOST: '127.0.0.1', UMPIN_HTTP_PORT: '9090' })).publicUrl).toBe(
      'http://127.0.0.1:9090',
    );
    expect(loadConfig(env({ UMPIN_HTTP_HOST: '::1' })).publicUrl).toBe('http://[::1]:8080');
  });

  it('refuses what is no http(s) address, naming the variable and the rule', () => {
    for (const bad of [
      'voicemail.contoso.com',
      'ftp://contoso.com',
      'https://contoso.com/?a=1',
      'https://u:p@contoso.com',
    ]) {
      let err: unknown;
      try {
        loadConfig(env({ UMPIN_PUBLIC_URL: bad }));
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(UmpinError);
      expect((err as UmpinError).issue).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'UMPIN_PUBLIC_URL' });
    }
  });
});
