import { Alert, Button, Card, Form, Input, Layout, Menu, Skeleton, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { routes, STAFF_ROLE_LABELS, type StaffRole } from '@huoyue/shared';
import { api, call, message, session } from './api';
import { ChangePassword } from './components/ChangePassword';
import { StaffSessionContext, type StaffSession } from './session';

/** Each page is its own chunk: the first load fetches only the shell and the page it opens (the charts ride with the dashboard). */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}
const ClerkPage = page(() => import('./pages/Clerk'), 'ClerkPage');
const DashboardPage = page(() => import('./pages/Dashboard'), 'DashboardPage');
const MemberDaysPage = page(() => import('./pages/MemberDays'), 'MemberDaysPage');
const MembersPage = page(() => import('./pages/Members'), 'MembersPage');
const AutomationsPage = page(() => import('./pages/Automations'), 'AutomationsPage');
const AuditPage = page(() => import('./pages/Audit'), 'AuditPage');
const CouponsPage = page(() => import('./pages/Coupons'), 'CouponsPage');
const LifecyclePage = page(() => import('./pages/Lifecycle'), 'LifecyclePage');
const RulesPage = page(() => import('./pages/Rules'), 'RulesPage');
const PointsLiabilityPage = page(() => import('./pages/PointsLiability'), 'PointsLiabilityPage');
const RuleSimulatorPage = page(() => import('./pages/RuleSimulator'), 'RuleSimulatorPage');
const MallPage = page(() => import('./pages/Mall'), 'MallPage');
const TemplatesPage = page(() => import('./pages/Templates'), 'TemplatesPage');
const FulfilmentPage = page(() => import('./pages/Fulfilment'), 'FulfilmentPage');
const TiersPage = page(() => import('./pages/Tiers'), 'TiersPage');
const BadgesPage = page(() => import('./pages/Badges'), 'BadgesPage');
const StaffPage = page(() => import('./pages/Staff'), 'StaffPage');
const JoinSettingsPage = page(() => import('./pages/JoinSettings'), 'JoinSettingsPage');
const IntegrationKeysPage = page(() => import('./pages/IntegrationKeys'), 'IntegrationKeysPage');

const PAGES: { key: string; label: string; roles: StaffRole[] }[] = [
  { key: 'dashboard', label: '数据看板', roles: ['owner', 'operator'] },
  { key: 'members', label: '会员', roles: ['owner', 'operator'] },
  // A clerk sees the desk and nothing else.
  { key: 'clerk', label: '店员工作台', roles: ['owner', 'operator', 'clerk'] },
  { key: 'tiers', label: '会员等级', roles: ['owner', 'operator'] },
  { key: 'join-settings', label: '开卡设置', roles: ['owner', 'operator'] },
  { key: 'rules', label: '积分与签到规则', roles: ['owner', 'operator'] },
  { key: 'points-liability', label: '积分负债', roles: ['owner', 'operator'] },
  { key: 'rule-simulator', label: '规则模拟', roles: ['owner', 'operator'] },
  { key: 'badges', label: '勋章', roles: ['owner', 'operator'] },
  { key: 'coupons', label: '优惠券', roles: ['owner', 'operator'] },
  { key: 'mall', label: '积分商城', roles: ['owner', 'operator'] },
  { key: 'fulfilment', label: '兑换发货', roles: ['owner', 'operator'] },
  { key: 'member-days', label: '会员日', roles: ['owner', 'operator'] },
  { key: 'lifecycle', label: '生命周期与导出', roles: ['owner', 'operator'] },
  { key: 'templates', label: '消息模板', roles: ['owner', 'operator'] },
  { key: 'automations', label: '自动化营销', roles: ['owner', 'operator'] },
  { key: 'staff', label: '员工与门店', roles: ['owner', 'operator'] },
  { key: 'audit', label: '操作日志', roles: ['owner'] },
  { key: 'integration-keys', label: '对接密钥', roles: ['owner'] },
];

function currentPage(): string {
  return location.hash.replace(/^#\//, '').split('?')[0] || '';
}

/** Hash routing (#/dashboard …): the console is served as static files under /admin, no server routes needed. */
export function App() {
  const [page, setPage] = useState(currentPage());
  // undefined: still asking the server who is signed in; null: nobody.
  const [me, setMe] = useState<StaffSession | null | undefined>(session.token() ? undefined : null);
  useEffect(() => {
    const onHash = () => setPage(currentPage());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (me !== undefined) return;
    call(routes.staff.me).then(setMe, () => setMe(null));
  }, [me]);

  if (me === undefined) return <Skeleton active style={{ padding: 48 }} />;
  if (!me || page === 'login')
    return (
      <LoginPage
        onLogin={(role) => {
          location.hash = role === 'clerk' ? '#/clerk' : '#/dashboard';
          setPage(currentPage());
          setMe(undefined);
        }}
      />
    );
  const allowed = PAGES.filter((p) => p.roles.includes(me.role));
  const active = allowed.find((p) => p.key === page) ?? allowed[0]!;
  return (
    <StaffSessionContext.Provider value={me}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider theme="light" width={200}>
          <Typography.Title
            level={4}
            style={{ padding: '16px 24px 8px', margin: 0, color: '#e8590c' }}
          >
            活跃 · 后台
          </Typography.Title>
          <SignedIn me={me} />
          <Menu
            mode="inline"
            selectedKeys={[active.key]}
            items={allowed.map((p) => ({ key: p.key, label: p.label }))}
            onClick={(e) => (location.hash = `#/${e.key}`)}
          />
          <div style={{ padding: 24 }}>
            <Button
              size="small"
              onClick={() => {
                session.clear();
                setMe(null);
              }}
            >
              退出登录
            </Button>
          </div>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, background: '#f6f7f9' }}>
          <Suspense fallback={<Skeleton active />}>
            {active.key === 'dashboard' && <DashboardPage />}
            {active.key === 'members' && <MembersPage />}
            {active.key === 'clerk' && <ClerkPage />}
            {active.key === 'member-days' && <MemberDaysPage />}
            {active.key === 'automations' && <AutomationsPage />}
            {active.key === 'coupons' && <CouponsPage />}
            {active.key === 'rules' && <RulesPage />}
            {active.key === 'points-liability' && <PointsLiabilityPage />}
            {active.key === 'rule-simulator' && <RuleSimulatorPage />}
            {active.key === 'mall' && <MallPage />}
            {active.key === 'templates' && <TemplatesPage />}
            {active.key === 'fulfilment' && <FulfilmentPage />}
            {active.key === 'tiers' && <TiersPage />}
            {active.key === 'badges' && <BadgesPage />}
            {active.key === 'join-settings' && <JoinSettingsPage />}
            {active.key === 'lifecycle' && <LifecyclePage />}
            {active.key === 'audit' && <AuditPage />}
            {active.key === 'staff' && <StaffPage />}
            {active.key === 'integration-keys' && <IntegrationKeysPage />}
          </Suspense>
        </Layout.Content>
      </Layout>
    </StaffSessionContext.Provider>
  );
}

/** Who is signed in, and for a clerk the store they work in (set by the owner, not editable here). */
function SignedIn({ me }: { me: StaffSession }) {
  return (
    <div style={{ padding: '0 24px 12px' }} data-testid="signed-in">
      <div>
        {me.displayName ?? me.username} <Tag>{STAFF_ROLE_LABELS[me.role]}</Tag>
      </div>
      <ChangePassword />
      {me.role === 'clerk' && (
        <Typography.Text type="secondary" data-testid="signed-in-store">
          门店：{me.storeName ?? '未绑定'}
        </Typography.Text>
      )}
    </div>
  );
}

function LoginPage({ onLogin }: { onLogin: (role: StaffRole) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const submit = async (values: { username: string; password: string }) => {
    setLoading(true);
    setError(null);
    try {
      const result = await api.call(routes.staff.login, { body: values });
      session.save(result.token);
      onLogin(result.staff.role);
    } catch (err) {
      setError(message(err));
    } finally {
      setLoading(false);
    }
  };
  return (
    <div
      style={{
        display: 'flex',
        minHeight: '100vh',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#f6f7f9',
      }}
    >
      <Card title="活跃 · 会员运营后台" style={{ width: 360 }}>
        {error && <Alert type="error" message={error} style={{ marginBottom: 16 }} showIcon />}
        <Form layout="vertical" onFinish={submit}>
          <Form.Item
            label="账号"
            name="username"
            rules={[{ required: true, message: '请输入账号' }]}
          >
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item
            label="密码"
            name="password"
            rules={[{ required: true, message: '请输入密码' }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
