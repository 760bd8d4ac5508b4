// Runs once in Node before all test projects: starts the services and hands their addresses to the tests.
import type { TestProject } from 'vitest/node';
import { startTestServices } from './support/services.ts';

export default async function setup(project: TestProject) {
  const services = await startTestServices();
  project.provide('edge', services.config);
  return () => services.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    edge: import('./support/services.ts').EdgeTestConfig;
  }
}
