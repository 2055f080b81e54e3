/** The tracking parameter a message's landing link carries (see docs/messaging.md). */
export const TRACKING_PARAM = 'hy_m';
const TOKEN = /^[A-Za-z0-9_-]{8,40}$/;

/** The token from a page's or launch's query, when it is one (anything else is ignored, not reported). */
export function trackingToken(query: Record<string, unknown> | null | undefined): string | null {
  const raw = query?.[TRACKING_PARAM];
  const value = typeof raw === 'string' ? decodeURIComponent(raw) : null;
  return value && TOKEN.test(value) ? value : null;
}

/**
 * Reports each token once per app run: the launch and the landing page both see it, and a member who goes
 * back and forth should not count twice (the server is idempotent too).
 */
export class LandingReporter {
  private readonly seen = new Set<string>();
  constructor(private readonly report: (token: string) => Promise<unknown>) {}

  async handle(query: Record<string, unknown> | null | undefined): Promise<boolean> {
    const token = trackingToken(query);
    if (!token || this.seen.has(token)) return false;
    this.seen.add(token);
    try {
      await this.report(token);
      return true;
    } catch {
      // A failed report must not stop the member; let a later page view try again.
      this.seen.delete(token);
      return false;
    }
  }
}
