import type { TestProject } from 'vitest/node';
import './provided-context.js';
import { startPostgres, type PgServer } from './postgres-server.js';

let server: PgServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startPostgres();
  project.provide('pgUrl', server.url);
}

export async function teardown(): Promise<void> {
  server?.stop();
}
