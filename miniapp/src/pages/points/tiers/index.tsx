import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../../api/client';
import { PageState } from '../../../components/PageState';
import { Progress, Tag } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';
import { growthView } from '../../../logic/card';
import { formatNumber } from '../../../logic/format';
import { benefitLines } from '../../../logic/tiers';
import './index.scss';

export default function Tiers() {
  const tiers = useRemote(() => api(routes.points.tiers));
  const d = tiers.data;
  const growth = d ? growthView(d) : null;
  return (
    <View className="tiers">
      <PageState
        loading={tiers.loading}
        error={tiers.error}
        onRetry={tiers.reload}
        hasData={d !== undefined}
        empty={d?.ladder.length === 0}
        emptyText="品牌尚未设置会员等级"
      >
        {d && growth && (
          <>
            <View className="tiers__head">
              <Text className="tiers__current">{growth.tierName}</Text>
              <Text className="tiers__growth">当前成长值 {formatNumber(d.current.growth)}</Text>
              <Progress
                percent={growth.percent}
                strokeWidth="6"
                color="#ffd36b"
                background="rgba(255,255,255,0.3)"
              />
              <Text className="tiers__hint">{growth.toNextLabel}</Text>
              {growth.keepLabel && <Text className="tiers__hint">{growth.keepLabel}</Text>}
            </View>
            {d.ladder.map((t) => (
              <View
                key={t.code}
                className={`panel tier ${t.code === d.current.code ? 'tier--mine' : ''}`}
                data-testid="tier"
              >
                <View className="row">
                  <Text className="panel__title tier__name">{t.name}</Text>
                  {t.code === d.current.code ? (
                    <Tag type="primary">当前等级</Tag>
                  ) : (
                    <Text className="muted">成长值 {formatNumber(t.growthThreshold)} 起</Text>
                  )}
                </View>
                {benefitLines(t).map((line) => (
                  <Text key={line} className="tier__benefit">
                    · {line}
                  </Text>
                ))}
              </View>
            ))}
            <View className="panel">
              <Text className="muted">
                成长值来自消费（每消费 1
                元累积成长值），有效期内达到保级成长值即可保留等级；未达到将按规则调整等级。
              </Text>
            </View>
          </>
        )}
      </PageState>
    </View>
  );
}
