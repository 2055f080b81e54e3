import { Alert, Button, Empty, Skeleton } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { message } from '../api';

/** Loads data and shows a skeleton while loading, the error with a retry button, or an empty state. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({
    loading: true,
  });
  const run = useCallback(() => {
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => setState({ data, loading: false }),
      (err: unknown) => setState({ error: message(err), loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps, as with useEffect
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run };
}

export function Loadable<T>({
  state,
  empty,
  children,
}: {
  state: { data?: T; error?: string; loading: boolean; reload: () => void };
  empty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (state.loading && state.data === undefined) return <Skeleton active />;
  if (state.error)
    return (
      <Alert
        type="error"
        showIcon
        message="加载失败"
        description={state.error}
        action={<Button onClick={state.reload}>重试</Button>}
      />
    );
  if (state.data === undefined || (empty && empty(state.data)))
    return <Empty description="暂无数据" />;
  return <>{children(state.data)}</>;
}
