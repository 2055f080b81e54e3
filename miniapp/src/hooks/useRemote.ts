import { useCallback, useEffect, useRef, useState } from 'react';
import { usePullDownRefresh } from '@tarojs/taro';
import Taro from '@tarojs/taro';
import { friendlyError } from '../services/session';

export interface Remote<T> {
  data: T | undefined;
  loading: boolean;
  error: string | null;
  reload: () => Promise<void>;
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

/**
 * Loads what a page shows: loading until the first answer, an error message the page can offer to retry, and
 * pull-to-refresh wired to the same loader. A reload keeps the old data on screen until the new one arrives.
 */
export function useRemote<T>(load: () => Promise<T>, deps: unknown[] = []): Remote<T> {
  const [data, setState] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const loader = useRef(load);
  loader.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await loader.current();
      if (mine !== generation.current) return;
      setState(value);
      setError(null);
    } catch (err) {
      if (mine !== generation.current) return;
      setError(friendlyError(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });

  const setData = useCallback(
    (update: (current: T | undefined) => T | undefined) => setState(update),
    [],
  );
  return { data, loading, error, reload, setData };
}
