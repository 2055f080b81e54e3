import { useMemo } from 'react';
import { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../../api/client';
import { PageState } from '../../../components/PageState';
import { Tag } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';
import { qrSvg, svgDataUrl } from '../../../logic/codes';
import { formatDateTime } from '../../../logic/format';
import { groupCode, VOUCHER_STATUS_LABELS, type Voucher } from '../../../logic/vouchers';
import './index.scss';

/**
 * What a virtual item delivered: one voucher per unit, each with its QR and code for the clerk to scan, once.
 * The QR fills a square box (not aspectFit, whose picture stays at its own small size in the browser build).
 */
export default function VoucherPage() {
  const { params } = useRouter();
  const redemption = useRemote(() =>
    api(routes.mall.redemption, { params: { id: Number(params.id) } }),
  );
  const r = redemption.data;
  return (
    <View>
      <PageState
        loading={redemption.loading}
        error={redemption.error}
        onRetry={redemption.reload}
        hasData={r !== undefined}
        empty={r !== undefined && r.vouchers.length === 0}
        emptyText="这笔兑换没有兑换券"
        rows={6}
      >
        {r?.vouchers.map((v, i) => (
          <VoucherCard
            key={v.code}
            voucher={v}
            itemName={r.itemName}
            index={r.vouchers.length > 1 ? `${i + 1} / ${r.vouchers.length}` : null}
          />
        ))}
      </PageState>
    </View>
  );
}

function VoucherCard({
  voucher: v,
  itemName,
  index,
}: {
  voucher: Voucher;
  itemName: string;
  index: string | null;
}) {
  const qr = useMemo(() => svgDataUrl(qrSvg(v.code)), [v.code]);
  return (
    <View className="panel voucher" data-testid="voucher">
      <Text className="voucher__item">{itemName}</Text>
      {index && <Text className="muted voucher__index">第 {index} 张</Text>}
      {v.status === 'available' ? (
        <View className="voucher__code" data-testid="voucher-qr">
          <Image
            className="voucher__qr"
            src={qr}
            mode="scaleToFill"
            aria-label="兑换券二维码"
            data-code={v.code}
          />
          <Text className="voucher__digits">{groupCode(v.code)}</Text>
          <Text className="muted voucher__hint">到店出示此码，由店员扫码核销</Text>
        </View>
      ) : (
        <View>
          <Text className="voucher__status">{VOUCHER_STATUS_LABELS[v.status]}</Text>
          {v.usedAt && (
            <Text className="muted voucher__used">
              {formatDateTime(v.usedAt)}
              {v.usedStoreName ? ` 在 ${v.usedStoreName}` : ''} 核销
            </Text>
          )}
        </View>
      )}
      <View className="voucher__meta">
        <Tag type={v.status === 'available' ? 'primary' : 'default'}>
          {VOUCHER_STATUS_LABELS[v.status]}
        </Tag>
        <Text className="muted">有效期至 {formatDateTime(v.validTo)}</Text>
      </View>
    </View>
  );
}
