import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import {
  LIFECYCLE_STAGE_LABELS,
  type LifecycleStage,
  type RouteOutput,
  routes,
} from '@huoyue/shared';
import { api } from '../../../api/client';
import { showError, showSuccess } from '../../../components/feedback';
import { PageState } from '../../../components/PageState';
import { Button } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';
import { formatCardNo, formatDate, formatDateTime, formatNumber } from '../../../logic/format';
import { eventLabel } from '../../../logic/membership';
import './index.scss';

type Export = RouteOutput<typeof routes.members.exportMe>;

const FILE_NAME = '我的会员数据.json';

/** The file itself: downloaded in the browser, kept and shared as a file in WeChat. */
async function saveFile(data: Export): Promise<void> {
  const json = JSON.stringify(data, null, 2);
  if (process.env.TARO_ENV === 'weapp') {
    const path = `${Taro.env.USER_DATA_PATH}/${FILE_NAME}`;
    Taro.getFileSystemManager().writeFileSync(path, json, 'utf8');
    await Taro.shareFileMessage({ filePath: path, fileName: FILE_NAME });
    return;
  }
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = FILE_NAME;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <View className="export__row">
      <Text className="export__key">{label}</Text>
      <Text>{value || '—'}</Text>
    </View>
  );
}

/** Everything held about the member (GET /api/me/export), readable first, and the same as a file. */
export default function ExportMine() {
  const data = useRemote(async () => {
    const [exported, tiers] = await Promise.all([
      api(routes.members.exportMe),
      api(routes.points.tiers),
    ]);
    return {
      ...exported,
      tierName: tiers.ladder.find((t) => t.code === exported.member.tierCode)?.name,
    };
  });
  const d = data.data;
  const download = async () => {
    if (!d) return;
    try {
      const { tierName: _shown, ...file } = d;
      await saveFile(file);
      showSuccess('数据文件已生成');
    } catch (err) {
      showError(err);
    }
  };
  return (
    <View className="export" data-testid="export">
      <PageState
        loading={data.loading}
        error={data.error}
        onRetry={data.reload}
        hasData={d !== undefined}
        rows={8}
      >
        {d && (
          <>
            <View className="panel">
              <Text className="panel__title">个人信息</Text>
              <Row label="会员卡号" value={formatCardNo(d.member.cardNo)} />
              <Row label="昵称" value={d.member.nickname ?? ''} />
              <Row label="头像" value={d.member.avatar ? '已设置' : '未设置'} />
              <Row label="手机号" value={d.member.phone ?? ''} />
              <Row label="生日" value={d.member.birthday ?? ''} />
              <Row label="入会时间" value={formatDateTime(d.member.joinedAt)} />
              <Row label="首次访问" value={formatDateTime(d.member.firstSeenAt)} />
              <Row label="会员等级" value={d.tierName ?? ''} />
              <Row
                label="会员阶段"
                value={LIFECYCLE_STAGE_LABELS[d.member.stage as LifecycleStage] ?? ''}
              />
            </View>
            <View className="panel">
              <Text className="panel__title">积分与成长值</Text>
              <Row label="可用积分" value={formatNumber(d.points.balance)} />
              <Row label="成长值" value={formatNumber(d.points.growth)} />
            </View>
            <View className="panel">
              <Text className="panel__title">
                活动记录（共 {formatNumber(d.events.length)} 条）
              </Text>
              {d.events.slice(0, 30).map((e, i) => (
                <View key={i} className="export__event">
                  <Text>{eventLabel(e.type)}</Text>
                  <Text className="muted">{formatDateTime(e.occurredAt)}</Text>
                </View>
              ))}
              <Text className="muted">导出时间 {formatDate(d.exportedAt)}，完整记录见数据文件</Text>
            </View>
            <View className="panel" data-testid="export-sections">
              <Text className="panel__title">我们保存的全部数据（{d.sections.length} 类）</Text>
              {d.sections.map((s) => (
                <Row key={s.key} label={s.title} value={`${formatNumber(s.rows.length)} 条`} />
              ))}
            </View>
            <View className="export__actions">
              <Button block type="primary" onClick={download} data-testid="export-download">
                {process.env.TARO_ENV === 'weapp' ? '保存并发送数据文件' : '下载数据文件'}
              </Button>
            </View>
          </>
        )}
      </PageState>
    </View>
  );
}
