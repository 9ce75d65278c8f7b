/**
 * Runs a test script (TypeScript, through tsx) in a process of its own and reads the JSON it
 * prints on its last line: how the multi-process tests get their hammers' results.
 */
import { spawn } from 'node:child_process';

export function runChildScript<T>(script: string, env: NodeJS.ProcessEnv): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${out} ${err}`));
      }
    });
  });
}
