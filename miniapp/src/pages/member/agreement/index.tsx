import { useEffect } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../../api/client';
import { PageState } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import './index.scss';

/** 会员协议 or 隐私政策 (`?kind=privacy`), as the brand wrote them in the console. */
export default function Agreement() {
  const { params } = useRouter();
  const privacy = params.kind === 'privacy';
  const title = privacy ? '隐私政策' : '会员协议';
  const info = useRemote(() => api(routes.membership.joinInfo));
  useEffect(() => {
    void Taro.setNavigationBarTitle({ title }).catch(() => undefined);
  }, [title]);
  const text = (privacy ? info.data?.privacy : info.data?.terms) ?? '';
  return (
    <View className="agreement">
      <PageState
        loading={info.loading}
        error={info.error}
        onRetry={info.reload}
        hasData={info.data !== undefined}
        rows={8}
      >
        <View className="panel">
          <Text className="panel__title">{title}</Text>
          {text.split('\n').map((line, i) => (
            <Text key={i} className="agreement__line" data-testid="agreement-text">
              {line}
            </Text>
          ))}
        </View>
      </PageState>
    </View>
  );
}
