import { Alert, Button, Card, Input, Space, Tabs, message as toast } from 'antd';
import { checkinRules, pointsRules, routes } from '@huoyue/shared';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';

/**
 * Points and check-in rules as JSON, checked with the very schemas the server validates with before anything is
 * sent; the server's own answer (a 4xx with its message) is shown as it comes.
 */
function RulesEditor<S extends z.ZodType>({
  load,
  save,
  schema,
}: {
  load: () => Promise<z.output<S>>;
  save: (value: z.output<S>) => Promise<unknown>;
  schema: S;
}) {
  const state = useLoad(load);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (state.data !== undefined) setText(JSON.stringify(state.data, null, 2));
  }, [state.data]);
  const submit = async () => {
    setError(null);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return setError('不是有效的 JSON，请检查括号和引号');
    }
    const checked = schema.safeParse(value);
    if (!checked.success)
      return setError(
        checked.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；'),
      );
    if (!window.confirm('确定保存新的规则吗？保存后立即生效，并记入操作日志。')) return;
    try {
      await save(checked.data);
      toast.success('已保存');
      state.reload();
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <Loadable state={state}>
      {() => (
        <Space direction="vertical" style={{ width: '100%' }}>
          {error && <Alert type="error" showIcon message={error} />}
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 12, maxRows: 30 }}
            style={{ fontFamily: 'monospace' }}
          />
          <Button type="primary" onClick={submit}>
            保存
          </Button>
        </Space>
      )}
    </Loadable>
  );
}

export function RulesPage() {
  return (
    <Card title="积分与签到规则">
      <Tabs
        items={[
          {
            key: 'points',
            label: '积分规则',
            children: (
              <RulesEditor
                schema={pointsRules}
                load={() => call(routes.points.getRules)}
                save={(body) => call(routes.points.putRules, { body })}
              />
            ),
          },
          {
            key: 'checkins',
            label: '签到阶梯',
            children: (
              <RulesEditor
                schema={checkinRules}
                load={() => call(routes.engagement.getCheckinRules)}
                save={(body) => call(routes.engagement.putCheckinRules, { body })}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
