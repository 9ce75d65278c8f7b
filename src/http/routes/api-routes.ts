/** Every REST API route, in one table: registration, the OpenAPI document and the authorization tests read it. */
import type { ApiRoute } from '../api-route.js';
import { ADMIN_ACCOUNT_ROUTES } from './admin-accounts.js';
import { API_TOKEN_ROUTES } from './api-tokens.js';
import { AUDIT_ROUTES } from './audit.js';
import { DEAD_LETTER_ROUTES } from './dead-letters.js';
import { DIAL_PLAN_ROUTES } from './dial-plans.js';
import { MAIL_QUEUE_ROUTES } from './mail-queue.js';
import { MAILBOX_POLICY_ROUTES } from './mailbox-policies.js';
import { PIN_CHECK_ROUTES } from './pin-checks.js';
import { PIN_LINK_ROUTES } from './pin-links.js';
import { PIN_ROUTES } from './pins.js';
import { RECIPIENT_ROUTES } from './recipients.js';
import { SELF_SERVICE_ROUTES } from './self-service.js';
import { SESSION_ROUTES } from './session.js';
import { SETUP_ROUTES } from './setup.js';
import { UM_MAILBOX_ROUTES } from './um-mailboxes.js';
import { VOICE_ROUTES } from './voice.js';

export const API_ROUTES: readonly ApiRoute[] = [
  ...DIAL_PLAN_ROUTES,
  ...MAILBOX_POLICY_ROUTES,
  ...RECIPIENT_ROUTES,
  ...UM_MAILBOX_ROUTES,
  ...PIN_ROUTES,
  ...PIN_CHECK_ROUTES,
  ...AUDIT_ROUTES,
  ...DEAD_LETTER_ROUTES,
  ...MAIL_QUEUE_ROUTES,
  ...API_TOKEN_ROUTES,
  ...ADMIN_ACCOUNT_ROUTES,
  ...SESSION_ROUTES,
  ...SELF_SERVICE_ROUTES,
  ...PIN_LINK_ROUTES,
  ...SETUP_ROUTES,
  ...VOICE_ROUTES,
];
