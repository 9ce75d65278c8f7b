/**
 * ConvertTo-SecureString, for the scripts that pass New-Mailbox -Password
 * (ConvertTo-SecureString -String '...' -AsPlainText -Force). umpin keeps no account
 * passwords, so the result is an opaque value that keeps only the length and never
 * prints the text.
 */
import type { CmdletDefinition } from '../../cmdlet.js';
import { SecureString } from '../../values.js';

export const CONVERT_TO_SECURE_STRING: CmdletDefinition = {
  name: 'ConvertTo-SecureString',
  synopsis: 'Turns text into an opaque secure string, for -Password parameters.',
  description:
    'Returns a secure string for the text. umpin keeps no account passwords, so the value only lets scripts written for Exchange run: it is never stored, shown or sent anywhere, and prints as System.Security.SecureString.',
  parameters: [
    {
      name: 'String',
      type: 'string',
      position: 0,
      mandatory: true,
      pipeline: { byValue: true },
      help: 'The text to convert. It is dropped at once; only its length is kept.',
    },
    {
      name: 'AsPlainText',
      type: 'switch',
      help: 'Says that -String is plain text, as PowerShell requires; accepted for compatibility.',
    },
    {
      name: 'Force',
      type: 'switch',
      help: 'Confirms the use of -AsPlainText, as PowerShell requires; accepted for compatibility.',
    },
  ],
  ignoredParameters: [
    { name: 'Key', type: 'object', reason: 'umpin keeps no account passwords, so it decrypts nothing' },
    { name: 'SecureKey', type: 'object', reason: 'umpin keeps no account passwords, so it decrypts nothing' },
  ],
  examples: [
    {
      code: "$password = ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force\nNew-Mailbox -Name 'Pat Coleman' -Alias patc -Password $password",
      description:
        'Makes a secure string for New-Mailbox -Password, as Exchange scripts do; umpin warns that it keeps no passwords.',
      source: 'umpin',
    },
  ],
  async process(ctx, params) {
    ctx.emit(new SecureString(String(params.String ?? '').length));
  },
};
