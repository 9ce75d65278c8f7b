/**
 * Tools the tests drive for real (PostgreSQL, Chromium, later SIP peers) come from Debian's
 * packages: when one is missing, the test setup installs it, as root, so no test is ever
 * skipped for want of a tool. apt-get update runs once per machine boot before the first
 * install (a fresh machine's package lists may be empty), and every apt-get waits for the
 * package manager's lock, so two test workers installing at once take turns.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

const UPDATED = '/tmp/umpin-test-apt-updated';
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const WAIT_FOR_LOCK = ['-o', 'DPkg::Lock::Timeout=900'];

/** Installs the packages whose files are missing; `needs` maps a file each package provides to its package. */
export function ensureDebianPackages(needs: Record<string, string>): void {
  const missing = [
    ...new Set(
      Object.entries(needs)
        .filter(([file]) => !existsSync(file))
        .map(([, pkg]) => pkg),
    ),
  ];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    throw new Error(
      `missing ${missing.join(', ')}: install ${missing.length > 1 ? 'them' : 'it'} with apt-get (the tests install it themselves only as root)`,
    );
  if (!existsSync(UPDATED)) {
    execFileSync('apt-get', [...WAIT_FOR_LOCK, 'update'], { stdio: 'inherit', env: APT_ENV, timeout: 600_000 });
    writeFileSync(UPDATED, new Date().toISOString());
  }
  execFileSync('apt-get', [...WAIT_FOR_LOCK, 'install', '-y', ...missing], {
    stdio: 'inherit',
    env: APT_ENV,
    timeout: 900_000,
  });
  const still = Object.keys(needs).filter((file) => !existsSync(file));
  if (still.length > 0) throw new Error(`apt-get install ${missing.join(' ')} left ${still.join(', ')} missing`);
}
