/** One item's outcome in a group: its value, or the error its own caller should get. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface GroupCommitSettings {
  /** Items written together at most. */
  maxBatch: number;
  /** Groups being written at the same time (each holds a connection). */
  inFlight: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: commands of one kind that arrive while earlier ones are being written wait and are written
 * together, in one transaction of multi-row statements. An idle server writes each command at once (a group of
 * one); a rush is written in groups, so a thousand check-ins cost tens of transactions, not a thousand. `write`
 * answers every item's outcome in order; when it throws (the group's transaction failed as a whole), each item is
 * written on its own by `alone`, so one item's conflict never becomes another's error. The same grouping serves
 * reads that a rush repeats per request (a member's status): one query per group.
 */
export class GroupCommit<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private running = 0;

  constructor(
    private readonly write: (items: I[]) => Promise<Settled<O>[]>,
    private readonly alone: (item: I) => Promise<O>,
    private readonly settings: GroupCommitSettings,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.settings.inFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.settings.maxBatch);
      this.running++;
      void this.run(group).finally(() => {
        this.running--;
        this.next();
      });
    }
  }

  private async run(group: Waiting<I, O>[]): Promise<void> {
    let outcomes: Settled<O>[] | undefined;
    try {
      outcomes = await this.write(group.map((w) => w.item));
    } catch {
      // The group's transaction failed as a whole (a unique key raced by another instance, a deadlock past its
      // retries): each item on its own, so every caller gets its own answer.
      await Promise.all(group.map((w) => this.alone(w.item).then(w.resolve, w.reject)));
      return;
    }
    group.forEach((w, i) => {
      const outcome = outcomes[i];
      if (!outcome) w.reject(new Error('group commit: no outcome for an item'));
      else if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    });
  }
}
