import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { friendlyError } from '../services/session';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A cursor-paged list: first page with loading/error, more on reaching the bottom, pull-to-refresh from the top.
 */
export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<Page<T>>,
  deps: unknown[] = [],
) {
  const [items, setItems] = useState<T[] | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const loader = useRef(load);
  loader.current = load;
  const generation = useRef(0);

  const fetchPage = useCallback(async (from: string | undefined) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await loader.current(from);
      if (mine !== generation.current) return;
      setItems((prev) => (from ? [...(prev ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      if (mine === generation.current) setError(friendlyError(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  const reload = useCallback(() => fetchPage(undefined), [fetchPage]);
  const more = useCallback(() => {
    if (cursor && !loading) void fetchPage(cursor);
  }, [cursor, loading, fetchPage]);

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(more);

  return { items, loading, error, reload, more, hasMore: cursor !== null };
}
