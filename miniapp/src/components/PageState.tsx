import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { Button, Empty, Skeleton } from './ui';
import './PageState.scss';

interface Props {
  loading: boolean;
  error: string | null;
  /** True when loaded and there is nothing to show. */
  empty?: boolean;
  emptyText?: string;
  emptyAction?: ReactNode;
  onRetry: () => void;
  /** Skeleton rows while the first load is on its way. */
  rows?: number;
  /** Whether data is already on screen (a reload keeps it there). */
  hasData: boolean;
  children?: ReactNode;
}

/** Every page's three states: skeleton on first load, a friendly error with retry, an empty state; else the page. */
export function PageState({
  loading,
  error,
  empty,
  emptyText,
  emptyAction,
  onRetry,
  rows = 4,
  hasData,
  children,
}: Props) {
  if (!hasData && loading) {
    return (
      <View className="page-state page-state--loading" data-testid="loading">
        <Skeleton rows={rows} animated />
      </View>
    );
  }
  if (!hasData && error) {
    return (
      <View className="page-state" data-testid="error">
        <Empty
          status="error"
          image={<Text className="page-state__icon">😵</Text>}
          title="加载失败"
          description={error}
        />
        <View className="page-state__action">
          <Button type="primary" size="small" onClick={onRetry}>
            重新加载
          </Button>
        </View>
      </View>
    );
  }
  if (empty) {
    return (
      <View className="page-state" data-testid="empty">
        <Empty
          status="empty"
          image={<Text className="page-state__icon">🍃</Text>}
          description={emptyText ?? '这里还什么都没有'}
        />
        {emptyAction ? <View className="page-state__action">{emptyAction}</View> : null}
      </View>
    );
  }
  return <>{children}</>;
}
