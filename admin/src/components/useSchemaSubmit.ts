import { useState } from 'react';
import type { z } from 'zod';
import { message } from '../api';

/**
 * A form's submit: the body is checked with the server's own schema from `shared/` first (so the form says what
 * the API would), then sent; a refusal from the server is shown as it came. `error` is what to show.
 */
export function useSchemaSubmit<S extends z.ZodType>(
  schema: S,
  send: (data: z.output<S>) => Promise<unknown>,
  onDone: () => void,
) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (body: unknown) => {
    setError(null);
    const checked = schema.safeParse(body);
    if (!checked.success) return setError(checked.error.issues.map((i) => i.message).join('；'));
    try {
      await send(checked.data);
      onDone();
    } catch (err) {
      setError(message(err));
    }
  };
  return { error, submit, clear: () => setError(null) };
}

/** The schema's complaints, each with the field as the form names it (`labels`: field name → label). */
export function issuesText(error: z.ZodError, labels: Record<string, string>): string {
  return error.issues
    .map((i) => {
      const label = [...i.path].reverse().find((p) => typeof p === 'string' && labels[p]);
      return label ? `${labels[label as string]}：${i.message}` : i.message;
    })
    .join('；');
}
