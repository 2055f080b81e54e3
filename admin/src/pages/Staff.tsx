import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  message as toast,
} from 'antd';
import {
  createStaffBody,
  createStoreBody,
  routes,
  STAFF_ROLE_HINTS,
  STAFF_ROLE_LABELS,
  STAFF_ROLES,
  STAFF_PASSWORD_RULE,
  updateStaffBody,
  updateStoreBody,
  type RouteOutput,
  type StaffRole,
} from '@huoyue/shared';
import { useMemo, useState } from 'react';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';
import { useBrandTime, useStaffSession } from '../session';

type Store = RouteOutput<typeof routes.staff.listStores>['items'][number];
type StaffAccount = RouteOutput<typeof routes.staff.list>['items'][number];

/**
 * 员工与门店: owners keep the stores (a code chosen or generated once, shown here so nobody has to type it
 * elsewhere) and the staff accounts (role, a store for clerks, password reset, 停用/启用); operators see the stores.
 */
export function StaffPage() {
  const me = useStaffSession();
  const stores = useLoad(() => call(routes.staff.listStores));
  const owner = me.role === 'owner';
  return (
    <Card title="员工与门店">
      <Tabs
        items={[
          {
            key: 'stores',
            label: '门店',
            children: <StoresTab state={stores} editable={owner} />,
          },
          ...(owner
            ? [
                {
                  key: 'staff',
                  label: '员工账号',
                  children: <StaffTab stores={stores.data?.items ?? []} />,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function StoresTab({
  state,
  editable,
}: {
  state: ReturnType<typeof useLoad<{ items: Store[] }>>;
  editable: boolean;
}) {
  const [editing, setEditing] = useState<Store | 'new' | null>(null);
  const [search, setSearch] = useState('');
  const toggle = async (store: Store) => {
    try {
      await call(routes.staff.updateStore, {
        params: { id: store.id },
        body: { active: !store.active },
      });
      toast.success(store.active ? `已停用「${store.name}」` : `已启用「${store.name}」`);
      state.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="按门店名称、编码或地址查找"
          allowClear
          onSearch={setSearch}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 320 }}
        />
        {editable && (
          <Button type="primary" onClick={() => setEditing('new')}>
            新建门店
          </Button>
        )}
      </Space>
      <Loadable state={state}>
        {(data) => {
          const q = search.trim();
          const rows = data.items.filter(
            (s) => !q || s.name.includes(q) || s.code.includes(q) || (s.address ?? '').includes(q),
          );
          return (
            <Table
              rowKey="id"
              dataSource={rows}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: q ? '没有找到符合条件的门店' : '还没有门店，先新建一个吧' }}
              columns={[
                { title: '门店名称', dataIndex: 'name' },
                {
                  title: '门店编码',
                  render: (_: unknown, s) => (
                    <Typography.Text copyable={{ tooltips: ['复制', '已复制'] }}>
                      {s.code}
                    </Typography.Text>
                  ),
                },
                { title: '地址', render: (_: unknown, s) => s.address ?? '—' },
                { title: '在岗店员', dataIndex: 'clerks' },
                {
                  title: '状态',
                  render: (_: unknown, s) =>
                    s.active ? <Tag color="green">营业中</Tag> : <Tag>已停用</Tag>,
                },
                ...(editable
                  ? [
                      {
                        title: '操作',
                        render: (_: unknown, s: Store) => (
                          <Space>
                            <Button size="small" onClick={() => setEditing(s)}>
                              编辑
                            </Button>
                            <Popconfirm
                              title={s.active ? `停用「${s.name}」？` : `启用「${s.name}」？`}
                              description={
                                s.active
                                  ? '停用后该门店的店员无法登录，也不能再为它绑定店员；历史数据保留。'
                                  : '启用后该门店的店员可以重新登录。'
                              }
                              okText={s.active ? '停用' : '启用'}
                              cancelText="取消"
                              onConfirm={() => toggle(s)}
                            >
                              <Button size="small" danger={s.active}>
                                {s.active ? '停用' : '启用'}
                              </Button>
                            </Popconfirm>
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          );
        }}
      </Loadable>
      {editing !== null && (
        <StoreForm
          store={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            state.reload();
          }}
        />
      )}
    </>
  );
}

interface StoreValues {
  name: string;
  address?: string;
  codeMode: 'auto' | 'manual';
  code?: string;
}

function StoreForm({
  store,
  onClose,
  onSaved,
}: {
  store: Store | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<StoreValues>();
  const codeMode = Form.useWatch('codeMode', form);
  const create = useSchemaSubmit(
    createStoreBody,
    async (body) => {
      const created = await call(routes.staff.createStore, { body });
      toast.success(`已新建门店「${created.name}」，门店编码 ${created.code}`);
    },
    onSaved,
  );
  const update = useSchemaSubmit(
    updateStoreBody,
    async (body) => {
      await call(routes.staff.updateStore, { params: { id: store!.id }, body });
      toast.success('门店已保存');
    },
    onSaved,
  );
  const submit = (v: StoreValues) =>
    store
      ? update.submit({ name: v.name, address: v.address?.trim() || null })
      : create.submit({
          name: v.name,
          ...(v.address?.trim() ? { address: v.address.trim() } : {}),
          ...(v.codeMode === 'manual' ? { code: v.code?.trim() ?? '' } : {}),
        });
  const error = store ? update.error : create.error;
  return (
    <Modal
      open
      title={store ? `编辑门店「${store.name}」` : '新建门店'}
      okText="保存"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ name: store?.name, address: store?.address ?? '', codeMode: 'auto' }}
      >
        <Form.Item
          label="门店名称"
          name="name"
          rules={[{ required: true, message: '请填写门店名称' }]}
        >
          <Input maxLength={64} placeholder="如：南京西路旗舰店" />
        </Form.Item>
        <Form.Item label="门店地址" name="address">
          <Input maxLength={128} placeholder="选填，如：上海市静安区南京西路 1688 号" />
        </Form.Item>
        {store ? (
          <Form.Item label="门店编码">
            <Typography.Text>{store.code}</Typography.Text>
            <Typography.Text type="secondary">（创建后不可修改）</Typography.Text>
          </Form.Item>
        ) : (
          <>
            <Form.Item
              label="门店编码"
              name="codeMode"
              extra="编码用于订单和核销记录，创建后不可修改"
            >
              <Radio.Group
                options={[
                  { value: 'auto', label: '自动生成' },
                  { value: 'manual', label: '自己填写（与收银系统一致时）' },
                ]}
              />
            </Form.Item>
            {codeMode === 'manual' && (
              <Form.Item
                label="自定义编码"
                name="code"
                rules={[{ required: true, message: '请填写门店编码' }]}
              >
                <Input maxLength={32} placeholder="字母、数字、_ 或 -" />
              </Form.Item>
            )}
          </>
        )}
      </Form>
    </Modal>
  );
}

/** A password staff can read out: no 0/O or 1/l look-alikes. */
function randomPassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function StaffTab({ stores }: { stores: Store[] }) {
  const me = useStaffSession();
  const time = useBrandTime();
  const list = useLoad(() => call(routes.staff.list));
  const [editing, setEditing] = useState<StaffAccount | 'new' | null>(null);
  const [resetting, setResetting] = useState<StaffAccount | null>(null);
  const [search, setSearch] = useState('');
  const toggle = async (s: StaffAccount) => {
    try {
      await call(routes.staff.update, { params: { id: s.id }, body: { active: !s.active } });
      toast.success(s.active ? `已停用「${nameOf(s)}」` : `已启用「${nameOf(s)}」`);
      list.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  const unlock = async (s: StaffAccount) => {
    try {
      await call(routes.staff.unlock, { params: { id: s.id } });
      toast.success(`已解锁「${nameOf(s)}」`);
      list.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="按姓名、账号或门店查找"
          allowClear
          onChange={(e) => setSearch(e.target.value)}
          onSearch={setSearch}
          style={{ width: 320 }}
        />
        <Button type="primary" onClick={() => setEditing('new')}>
          新建员工
        </Button>
      </Space>
      <Loadable state={list}>
        {(data) => {
          const q = search.trim();
          const rows = data.items.filter(
            (s) =>
              !q ||
              nameOf(s).includes(q) ||
              s.username.includes(q) ||
              (s.storeName ?? '').includes(q),
          );
          return (
            <Table
              rowKey="id"
              dataSource={rows}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: '没有找到符合条件的员工' }}
              columns={[
                { title: '姓名', render: (_: unknown, s) => s.displayName ?? '—' },
                { title: '登录账号', dataIndex: 'username' },
                {
                  title: '角色',
                  render: (_: unknown, s) => <Tag>{STAFF_ROLE_LABELS[s.role]}</Tag>,
                },
                { title: '所属门店', render: (_: unknown, s) => s.storeName ?? '全部门店' },
                {
                  title: '状态',
                  render: (_: unknown, s) => (
                    <>
                      {s.active ? <Tag color="green">在职</Tag> : <Tag>已停用</Tag>}
                      {s.locked && <Tag color="red">已锁定</Tag>}
                    </>
                  ),
                },
                { title: '最近登录', render: (_: unknown, s) => time(s.lastLoginAt) },
                {
                  title: '操作',
                  render: (_: unknown, s) => (
                    <Space>
                      <Button size="small" onClick={() => setEditing(s)}>
                        编辑
                      </Button>
                      <Button size="small" onClick={() => setResetting(s)}>
                        重置密码
                      </Button>
                      {s.locked && (
                        <Popconfirm
                          title={`解锁「${nameOf(s)}」？`}
                          description="该账号因多次输错密码已被锁定；解锁后可以重新登录。"
                          okText="解锁"
                          cancelText="取消"
                          onConfirm={() => unlock(s)}
                        >
                          <Button size="small" type="primary">
                            解锁
                          </Button>
                        </Popconfirm>
                      )}
                      {s.id !== me.id && (
                        <Popconfirm
                          title={s.active ? `停用「${nameOf(s)}」？` : `启用「${nameOf(s)}」？`}
                          description={
                            s.active
                              ? '停用后该员工立即无法登录，已登录的页面也会失效。'
                              : '启用后可以重新登录。'
                          }
                          okText={s.active ? '停用' : '启用'}
                          cancelText="取消"
                          onConfirm={() => toggle(s)}
                        >
                          <Button size="small" danger={s.active}>
                            {s.active ? '停用' : '启用'}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          );
        }}
      </Loadable>
      {editing !== null && (
        <StaffForm
          account={editing === 'new' ? null : editing}
          stores={stores}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
      {resetting && <ResetPassword account={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}

const nameOf = (s: StaffAccount) => s.displayName ?? s.username;

interface StaffValues {
  displayName?: string;
  username: string;
  password: string;
  role: StaffRole;
  storeCode?: string;
}

function StaffForm({
  account,
  stores,
  onClose,
  onSaved,
}: {
  account: StaffAccount | null;
  stores: Store[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const me = useStaffSession();
  const [form] = Form.useForm<StaffValues>();
  const role = Form.useWatch('role', form);
  const storeOptions = useMemo(
    () =>
      stores
        .filter((s) => s.active || s.code === account?.storeCode)
        .map((s) => ({ value: s.code, label: `${s.name}（${s.code}）` })),
    [stores, account],
  );
  const create = useSchemaSubmit(
    createStaffBody,
    async (body) => {
      await call(routes.staff.create, { body });
      toast.success(`已新建员工「${body.displayName ?? body.username}」`);
    },
    onSaved,
  );
  const update = useSchemaSubmit(
    updateStaffBody,
    async (body) => {
      await call(routes.staff.update, { params: { id: account!.id }, body });
      toast.success('员工信息已保存');
    },
    onSaved,
  );
  const submit = (v: StaffValues) => {
    const storeCode = v.role === 'clerk' ? v.storeCode : undefined;
    const displayName = v.displayName?.trim() || undefined;
    if (account) return update.submit({ displayName, role: v.role, storeCode: storeCode ?? null });
    return create.submit({
      username: v.username,
      password: v.password,
      role: v.role,
      ...(displayName ? { displayName } : {}),
      ...(storeCode ? { storeCode } : {}),
    });
  };
  const error = account ? update.error : create.error;
  const self = account?.id === me.id;
  return (
    <Modal
      open
      title={account ? `编辑员工「${nameOf(account)}」` : '新建员工'}
      okText="保存"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          displayName: account?.displayName ?? '',
          username: account?.username,
          role: account?.role ?? 'clerk',
          storeCode: account?.storeCode ?? undefined,
        }}
      >
        <Form.Item
          label="姓名"
          name="displayName"
          rules={[{ required: !account, message: '请填写姓名' }]}
        >
          <Input maxLength={32} placeholder="如：王小明" />
        </Form.Item>
        {account ? (
          <Form.Item label="登录账号">
            <Typography.Text>{account.username}</Typography.Text>
          </Form.Item>
        ) : (
          <>
            <Form.Item
              label="登录账号"
              name="username"
              rules={[{ required: true, message: '请填写登录账号' }]}
              extra="员工登录时使用，创建后不可修改"
            >
              <Input maxLength={32} placeholder="字母或数字，3 至 32 位" autoComplete="off" />
            </Form.Item>
            <Form.Item
              label="初始密码"
              required
              extra={`${STAFF_PASSWORD_RULE}；请告知员工并提醒其妥善保管`}
            >
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item
                  name="password"
                  noStyle
                  rules={[{ required: true, message: '请设置初始密码' }]}
                >
                  <Input.Password autoComplete="new-password" placeholder="至少 10 位" />
                </Form.Item>
                <Button onClick={() => form.setFieldValue('password', randomPassword())}>
                  随机生成
                </Button>
              </Space.Compact>
            </Form.Item>
          </>
        )}
        <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
          <Select
            disabled={self}
            aria-label="角色"
            options={STAFF_ROLES.map((r) => ({
              value: r,
              label: STAFF_ROLE_LABELS[r],
              hint: STAFF_ROLE_HINTS[r],
            }))}
            optionRender={(o) => (
              <div>
                {o.label}
                <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                  {o.data.hint}
                </Typography.Text>
              </div>
            )}
          />
        </Form.Item>
        {role === 'clerk' && (
          <Form.Item
            label="所属门店"
            name="storeCode"
            rules={[{ required: true, message: '店员必须绑定门店' }]}
            extra={storeOptions.length === 0 ? '还没有营业中的门店，请先在“门店”中新建' : undefined}
          >
            <Select
              showSearch
              optionFilterProp="label"
              placeholder="选择门店（可输入名称查找）"
              options={storeOptions}
              notFoundContent="没有找到门店"
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ResetPassword({ account, onClose }: { account: StaffAccount; onClose: () => void }) {
  const [form] = Form.useForm<{ password: string }>();
  const [error, setError] = useState<string | null>(null);
  const submit = async ({ password }: { password: string }) => {
    setError(null);
    const checked = updateStaffBody.safeParse({ password });
    if (!checked.success) return setError(checked.error.issues.map((i) => i.message).join('；'));
    try {
      await call(routes.staff.update, { params: { id: account.id }, body: checked.data });
      onClose();
      Modal.success({
        title: `已重置「${nameOf(account)}」的密码`,
        content: (
          <div>
            新密码：
            <Typography.Text copyable strong>
              {password}
            </Typography.Text>
            <div style={{ marginTop: 8, color: '#888' }}>
              只显示这一次，请当面或通过安全渠道告知员工。
            </div>
          </div>
        ),
        okText: '我已记下',
      });
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <Modal
      open
      title={`重置「${nameOf(account)}」的密码`}
      okText="重置密码"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          label="新密码"
          required
          extra={`${STAFF_PASSWORD_RULE}；重置后旧密码立即失效，该员工需重新登录`}
        >
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="password"
              noStyle
              rules={[{ required: true, message: '请填写新密码' }]}
            >
              <Input.Password autoComplete="new-password" placeholder="至少 10 位" />
            </Form.Item>
            <Button onClick={() => form.setFieldValue('password', randomPassword())}>
              随机生成
            </Button>
          </Space.Compact>
        </Form.Item>
      </Form>
    </Modal>
  );
}
