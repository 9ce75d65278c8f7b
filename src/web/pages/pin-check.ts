/**
 * The typed PIN checked against the policy as it is typed: 300 ms after the last key, a
 * dry run in the service (Test-UMMailboxPIN, which stores nothing) names the rule the PIN
 * breaks. Only the latest answer counts; Save still sends the PIN and the server decides.
 * The PIN is read from the field when the pause ends and kept nowhere.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';

const PAUSE_MS = 300;

export interface PinCheck {
  /** the refusal to show by the field (the catalog's message for its code), or null */
  refusal: ApiError | null;
  /** shows a refusal from Save (or clears it) in the same place */
  setRefusal(err: ApiError | null): void;
  /** call on every input with the field's value */
  typed(value: string): void;
  /** forgets any check under way (before Save, when the field goes) */
  cancel(): void;
}

/** `url`: where to check (a mailbox's or a policy's pin-check route); `extra`: more of the body, such as extensions. */
export function usePinCheck(url: string | null, extra?: () => Record<string, unknown>): PinCheck {
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancel = () => {
    latest.current++;
    clearTimeout(timer.current);
  };
  useEffect(() => cancel, []);

  const typed = (value: string) => {
    cancel();
    setRefusal(null);
    if (value === '' || url === null) return;
    const mine = latest.current;
    timer.current = setTimeout(() => {
      api<{ ok: true }>('POST', url, { pin: value, ...extra?.() }).then(
        () => mine === latest.current && setRefusal(null),
        (err: unknown) => {
          // a rule the PIN breaks is shown; anything else (the check's own rate limit, the network) is not
          // the PIN's fault, and Save will tell
          if (mine === latest.current && err instanceof ApiError && err.status === 422) setRefusal(err);
        },
      );
    }, PAUSE_MS);
  };
  return { refusal, setRefusal, typed, cancel };
}
