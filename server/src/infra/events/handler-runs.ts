import type { DomainEventHandler } from './handlers.js';

/** One event handed to one handler: its id, parsed payload, and which attempt of that handler this is. */
export interface HandlerItem {
  id: number;
  payload: unknown;
  attempt: number;
}

/** How one handler did on one event. */
export interface Outcome {
  eventId: number;
  handler: string;
  attempt: number;
  error?: string;
}

export type HandlerFailureLog = (
  err: unknown,
  context: { eventId: number; handler: string; attempt: number; batch: number },
) => void;

/**
 * Runs one handler over events of its event name, in the order given: a batch handler in one call, and when that
 * call fails, again one event at a time, so the events that can be handled are not held back by one that cannot
 * (the handler is idempotent, so what the failed batch wrote is written again as nothing). A single handler runs
 * each event alone. Answers one outcome per event.
 */
export async function runHandler(
  handler: DomainEventHandler,
  items: HandlerItem[],
  onFailure: HandlerFailureLog,
): Promise<Outcome[]> {
  if (handler.batch && items.length > 1) {
    try {
      await handler.run(items.map((i) => i.payload));
      return items.map((i) => ({ eventId: i.id, handler: handler.name, attempt: i.attempt }));
    } catch (err) {
      onFailure(err, {
        eventId: items[0]!.id,
        handler: handler.name,
        attempt: items[0]!.attempt,
        batch: items.length,
      });
    }
  }
  const outcomes: Outcome[] = [];
  for (const item of items) {
    const outcome: Outcome = { eventId: item.id, handler: handler.name, attempt: item.attempt };
    try {
      await handler.run([item.payload]);
    } catch (err) {
      onFailure(err, { eventId: item.id, handler: handler.name, attempt: item.attempt, batch: 1 });
      outcome.error = String(err).slice(0, 500);
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Groups items by a key, keeping the first-seen order of keys and the order of items within each. */
export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
