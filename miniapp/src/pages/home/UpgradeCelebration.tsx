import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { RouteOutput, routes } from '@huoyue/shared';
import { Button } from '../../components/ui';
import { cardTheme, upgradeToCelebrate } from '../../logic/membership';
import { benefitLines } from '../../logic/tiers';

type Ladder = RouteOutput<typeof routes.points.tiers>['ladder'];

/**
 * The 升级 moment: the phone remembers the tier it last showed this member; when the card comes back higher, the
 * new tier is celebrated with its card and benefits (once: the new tier is remembered when it is closed).
 */
export function UpgradeCelebration({
  memberId,
  tierCode,
  ladder,
}: {
  memberId: number;
  tierCode: string | null;
  ladder: Ladder;
}) {
  const key = `hy_tier_seen_${memberId}`;
  const [tier, setTier] = useState<Ladder[number] | null>(null);
  useEffect(() => {
    const seen = (Taro.getStorageSync(key) as string) || null;
    const upgraded = upgradeToCelebrate(seen, tierCode, ladder);
    if (upgraded) setTier(upgraded);
    else if (tierCode) Taro.setStorageSync(key, tierCode);
  }, [key, tierCode, ladder]);
  if (!tier) return null;
  const close = () => {
    Taro.setStorageSync(key, tier.code);
    setTier(null);
  };
  return (
    <View className="upgrade" data-testid="upgrade">
      <View className="upgrade__box">
        <Text className="upgrade__burst">升级啦</Text>
        <Text className="upgrade__title">恭喜升级为{tier.name}</Text>
        <View
          className={`upgrade__card card--${cardTheme(tier.code, ladder)}`}
          data-theme={cardTheme(tier.code, ladder)}
        >
          {tier.name}
        </View>
        {benefitLines(tier).map((line) => (
          <Text key={line} className="upgrade__line">
            ✓ {line}
          </Text>
        ))}
        <View className="upgrade__ok">
          <Button block type="primary" onClick={close}>
            知道了
          </Button>
        </View>
      </View>
    </View>
  );
}
