/** Every command the shell runs: Exchange's cmdlets (over the services) and the shell's own. */
import type { ShellCommand } from './builtin.js';
import type { CmdletDefinition } from './cmdlet.js';
import { EXPORT_CSV } from './cmdlets/core/export-csv.js';
import { FOREACH_OBJECT } from './cmdlets/core/foreach-object.js';
import { FORMAT_LIST } from './cmdlets/core/format-list.js';
import { FORMAT_TABLE } from './cmdlets/core/format-table.js';
import { GET_COMMAND } from './cmdlets/core/get-command.js';
import { GET_HELP } from './cmdlets/core/get-help.js';
import { IMPORT_CSV } from './cmdlets/core/import-csv.js';
import { MEASURE_OBJECT } from './cmdlets/core/measure-object.js';
import { SELECT_OBJECT } from './cmdlets/core/select-object.js';
import { SORT_OBJECT } from './cmdlets/core/sort-object.js';
import { WHERE_OBJECT } from './cmdlets/core/where-object.js';
import { COMPARE_OBJECT } from './cmdlets/core/compare-object.js';
import { ADD_CONTENT, GET_CONTENT, SET_CONTENT, TEST_PATH } from './cmdlets/core/content.js';
import { CONVERT_TO_HTML } from './cmdlets/core/convert-to-html.js';
import { GET_DATE } from './cmdlets/core/get-date.js';
import { GROUP_OBJECT } from './cmdlets/core/group-object.js';
import { JOIN_PATH, OUT_STRING } from './cmdlets/core/join-path.js';
import { CONVERT_FROM_JSON, CONVERT_TO_JSON } from './cmdlets/core/json.js';
import { OUT_FILE, TEE_OBJECT } from './cmdlets/core/out-file.js';
import { READ_HOST } from './cmdlets/core/read-host.js';
import { START_SLEEP } from './cmdlets/core/start-sleep.js';
import { WRITE_ERROR, WRITE_PROGRESS, WRITE_VERBOSE, WRITE_WARNING } from './cmdlets/core/write-streams.js';
import { OUT_NULL, WRITE_HOST, WRITE_OUTPUT } from './cmdlets/core/write-output.js';
import { ADMIN_AUDIT_LOG_CMDLETS } from './cmdlets/exchange/admin-audit-log.js';
import { MAILBOX_CMDLETS } from './cmdlets/exchange/mailbox.js';
import { UM_DIAL_PLAN_CMDLETS } from './cmdlets/exchange/um-dial-plan.js';
import { UM_MAILBOX_CMDLETS } from './cmdlets/exchange/um-mailbox.js';
import { UM_MAILBOX_POLICY_CMDLETS } from './cmdlets/exchange/um-mailbox-policy.js';
import { UM_MAILBOX_PIN_CMDLETS } from './cmdlets/exchange/um-mailbox-pin.js';

const EXCHANGE: readonly CmdletDefinition[] = [
  ...UM_MAILBOX_PIN_CMDLETS,
  ...UM_MAILBOX_CMDLETS,
  ...UM_DIAL_PLAN_CMDLETS,
  ...UM_MAILBOX_POLICY_CMDLETS,
  ...MAILBOX_CMDLETS,
  ...ADMIN_AUDIT_LOG_CMDLETS,
];

const BUILTINS = [
  WHERE_OBJECT,
  FOREACH_OBJECT,
  SELECT_OBJECT,
  SORT_OBJECT,
  MEASURE_OBJECT,
  FORMAT_TABLE,
  FORMAT_LIST,
  IMPORT_CSV,
  EXPORT_CSV,
  GET_HELP,
  GET_COMMAND,
  WRITE_HOST,
  WRITE_OUTPUT,
  OUT_NULL,
  // what admins' scripts are made of around the UM cmdlets
  GET_CONTENT,
  SET_CONTENT,
  ADD_CONTENT,
  TEST_PATH,
  OUT_FILE,
  TEE_OBJECT,
  OUT_STRING,
  JOIN_PATH,
  GET_DATE,
  START_SLEEP,
  READ_HOST,
  WRITE_WARNING,
  WRITE_ERROR,
  WRITE_VERBOSE,
  WRITE_PROGRESS,
  GROUP_OBJECT,
  COMPARE_OBJECT,
  CONVERT_TO_JSON,
  CONVERT_FROM_JSON,
  CONVERT_TO_HTML,
];

export function shellCommands(): ShellCommand[] {
  return [
    ...EXCHANGE.map((definition): ShellCommand => ({ kind: 'exchange', definition })),
    ...BUILTINS.map((definition): ShellCommand => ({ kind: 'builtin', definition })),
  ].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
}
