import { routes } from '@huoyue/shared';
import { LandingReporter } from '../logic/landing';
import { api } from './client';

const reporter = new LandingReporter((token) => api(routes.messaging.opened, { body: { token } }));

/** Called at launch and on every page with its query: a message landing is counted once. */
export function reportLanding(query: Record<string, unknown> | null | undefined): Promise<boolean> {
  return reporter.handle(query);
}
