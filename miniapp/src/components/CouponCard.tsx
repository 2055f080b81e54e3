import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { couponCondition, couponFace } from '../logic/coupons';
import './CouponCard.scss';

interface Props {
  coupon: {
    kind: 'cash' | 'percent' | 'gift' | 'shipping';
    value: number;
    threshold: number;
    cap: number | null;
    giftName: string | null;
    name: string;
  };
  sub: string;
  dimmed?: boolean;
  action?: ReactNode;
  onClick?: () => void;
}

/** A coupon as people know them: the big figure on the left, the name and small print on the right. */
export function CouponCard({ coupon, sub, dimmed, action, onClick }: Props) {
  return (
    <View
      className={`coupon ${dimmed ? 'coupon--dimmed' : ''}`}
      onClick={onClick}
      data-testid="coupon"
    >
      <View className="coupon__face">
        <Text className="coupon__value">{couponFace(coupon)}</Text>
        <Text className="coupon__cond">{couponCondition(coupon)}</Text>
      </View>
      <View className="coupon__body">
        <Text className="coupon__name">{coupon.name}</Text>
        <Text className="coupon__sub">{sub}</Text>
      </View>
      {action && <View className="coupon__action">{action}</View>}
    </View>
  );
}
