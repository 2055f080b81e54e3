import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../../api/client';
import { CodeImage } from '../../../components/CodeImage';
import { PageState } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { couponCondition, couponFace } from '../../../logic/coupons';
import { formatDateTime } from '../../../logic/format';
import './index.scss';

const STATUS_TEXT = {
  available: '',
  used: '已使用',
  expired: '已过期',
  revoked: '已作废',
} as const;

/** The coupon with its code for the clerk: QR and the digits, in case the scanner fails. */
export default function CouponDetail() {
  const { params } = useRouter();
  const coupon = useRemote(() => api(routes.coupons.detail, { params: { id: Number(params.id) } }));
  const c = coupon.data;
  return (
    <View>
      <PageState
        loading={coupon.loading}
        error={coupon.error}
        onRetry={coupon.reload}
        hasData={c !== undefined}
        rows={6}
      >
        {c && (
          <View className="panel coupon-detail">
            <Text className="coupon-detail__face">{couponFace(c)}</Text>
            <Text className="coupon-detail__name">{c.name}</Text>
            <Text className="muted">{couponCondition(c)}</Text>
            {c.status === 'available' ? (
              <View className="coupon-detail__code" data-testid="coupon-qr">
                <CodeImage className="coupon-detail__qr" kind="qr" value={c.code} />
                <Text className="coupon-detail__digits">{c.code}</Text>
                <Text className="muted">到店出示此码，由店员扫码核销</Text>
              </View>
            ) : (
              <Text className="coupon-detail__status">{STATUS_TEXT[c.status]}</Text>
            )}
            <Text className="muted coupon-detail__valid">
              有效期 {formatDateTime(c.validFrom)} 至 {formatDateTime(c.validTo)}
            </Text>
            {c.usedAt && <Text className="muted">使用时间 {formatDateTime(c.usedAt)}</Text>}
            {c.storeNames.length > 0 && (
              <Text className="muted">仅限 {c.storeNames.join('、')} 使用</Text>
            )}
            {c.description && <Text className="muted">{c.description}</Text>}
          </View>
        )}
      </PageState>
    </View>
  );
}
