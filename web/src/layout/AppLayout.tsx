import { AlertOutlined, ApiOutlined, AppstoreOutlined, DashboardOutlined, AuditOutlined, DatabaseOutlined, FileSearchOutlined, RadarChartOutlined, FormOutlined, LogoutOutlined, ProfileOutlined, SendOutlined, ShopOutlined, TagsOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Flex, Layout, Menu, Segmented, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { Suspense, useState } from 'react';
import type { MenuProps } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth.tsx';
import { useRegion } from '../hooks/useRegionName.ts';
import { useI18n, type Lang } from '../i18n.ts';
import { canSeeAlerts, isDemander, isGovernment, marketMenuKeys, menuKeys, registrationsMode, type MarketMenuKey, type MenuKey } from '../roles.ts';
import type { User } from '../types.ts';

/** Pages every signed-in user sees besides roles.ts's menu: the index follows the overview. */
type NavKey = MenuKey | MarketMenuKey | 'index' | 'situation' | 'network' | 'alerts';

const MENU_PATHS: Record<NavKey, string> = {
  overview: '/',
  index: '/index',
  situation: '/situation',
  network: '/network',
  facilities: '/facilities',
  alerts: '/alerts',
  registrationNew: '/registrations/new',
  registrations: '/registrations',
  market: '/market',
  demandNew: '/market/demands/new',
  demands: '/market/demands',
  myOffers: '/market/offers',
  orders: '/market/orders',
};

function selectedKey(pathname: string): NavKey {
  if (pathname.startsWith('/market/demands/new')) return 'demandNew';
  if (pathname.startsWith('/market/demands')) return 'demands';
  if (pathname.startsWith('/market/offers')) return 'myOffers';
  if (pathname.startsWith('/market/orders')) return 'orders';
  if (pathname.startsWith('/market')) return 'market';
  if (pathname.startsWith('/index')) return 'index';
  if (pathname.startsWith('/situation')) return 'situation';
  if (pathname.startsWith('/network')) return 'network';
  if (pathname.startsWith('/registrations/new')) return 'registrationNew';
  if (pathname.startsWith('/registrations')) return 'registrations';
  if (pathname.startsWith('/facilities')) return 'facilities';
  if (pathname.startsWith('/alerts')) return 'alerts';
  return 'overview';
}

function RoleTags({ user }: { user: User }) {
  const { t, te } = useI18n();
  // 000000 (the national body) is no region to look up: /regions/000000 answers 404.
  const jurisdiction = useRegion(user.jurisdictionCode === '000000' ? null : user.jurisdictionCode);
  const tags: { key: string; color: string; text: string }[] = [];
  if (user.isAdmin) tags.push({ key: 'admin', color: 'red', text: t('role.admin') });
  if (isGovernment(user)) {
    // 000000 is the whole country (the national body), not a GB/T 2260 region.
    const where = user.jurisdictionCode === '000000' ? t('overview.national') : (jurisdiction?.name ?? user.jurisdictionCode);
    tags.push({ key: 'gov', color: 'blue', text: where ? `${t('role.government')} · ${where}` : t('role.government') });
  }
  for (const role of user.marketRoles ?? []) tags.push({ key: role, color: 'green', text: te('role', role) });
  return (
    <Space size={4} data-testid="user-roles">
      {tags.map((tag) => (
        <Tag key={tag.key} color={tag.color} style={{ marginInlineEnd: 0 }}>
          {tag.text}
        </Tag>
      ))}
    </Space>
  );
}

export function AppLayout() {
  const { user, logout } = useAuth();
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  if (!user) return null;

  const mode = registrationsMode(user);
  const labels: Record<NavKey, string> = {
    overview: t('nav.overview'),
    index: t('nav.index'),
    situation: t('nav.situation'),
    network: t('nav.network'),
    facilities: t('nav.facilities'),
    alerts: t('nav.alerts'),
    registrationNew: t('nav.registrationNew'),
    registrations: mode === 'admin' ? t('nav.registrationsAll') : mode === 'reviewer' ? t('nav.reviewQueue') : t('nav.myRegistrations'),
    market: t('nav.market'),
    demandNew: t('nav.demandNew'),
    demands: isDemander(user) ? t('nav.myDemands') : t('nav.demands'),
    myOffers: t('nav.myOffers'),
    orders: user.isAdmin || isGovernment(user) ? t('nav.orders') : t('nav.myOrders'),
  };
  const icons: Record<NavKey, React.ReactNode> = {
    overview: <AppstoreOutlined />,
    index: <RadarChartOutlined />,
    situation: <DashboardOutlined />,
    network: <ApiOutlined />,
    facilities: <DatabaseOutlined />,
    alerts: <AlertOutlined />,
    registrationNew: <FormOutlined />,
    registrations: <AuditOutlined />,
    market: <ShopOutlined />,
    demandNew: <SendOutlined />,
    demands: <FileSearchOutlined />,
    myOffers: <TagsOutlined />,
    orders: <ProfileOutlined />,
  };
  // The marketplace's pages follow the ledger's (facilities, alerts).
  const navKeys: NavKey[] = menuKeys(user).flatMap((key): NavKey[] =>
    key === 'overview'
      ? ['overview', 'index', 'situation', 'network']
      : key === 'facilities'
        ? [...(canSeeAlerts(user) ? (['facilities', 'alerts'] as const) : (['facilities'] as const)), ...marketMenuKeys(user)]
        : [key],
  );
  const items: MenuProps['items'] = navKeys.map((key) => ({
    key,
    icon: icons[key],
    label: <span data-testid={`nav-${key}`}>{labels[key]}</span>,
  }));

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true, state: { loggedOut: true } });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={232} breakpoint="lg" collapsedWidth={64} collapsed={collapsed} onBreakpoint={setCollapsed} trigger={null} theme="dark" style={{ background: '#0b1f44' }}>
        <Flex align="center" gap={10} style={{ height: 64, padding: '0 20px', color: '#fff' }}>
          <div
            aria-hidden
            style={{ width: 30, height: 30, borderRadius: 6, background: '#2563eb', display: 'grid', placeItems: 'center', fontWeight: 700, flex: 'none' }}
          >
            算
          </div>
          {collapsed ? null : (
            <div style={{ lineHeight: 1.2, overflow: 'hidden', whiteSpace: 'nowrap' }}>
              <div style={{ fontWeight: 600, fontSize: 16 }}>{t('app.name')}</div>
              <div style={{ fontSize: 11, opacity: 0.7 }}>{t('app.subtitle')}</div>
            </div>
          )}
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selectedKey(location.pathname)]}
          items={items}
          onClick={({ key }) => navigate(MENU_PATHS[key as NavKey])}
          style={{ background: 'transparent', borderInlineEnd: 0 }}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'flex-end',
            gap: 16,
            borderBottom: '1px solid #eef0f3',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Segmented<Lang>
            size="small"
            value={lang}
            onChange={(value) => setLang(value)}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'EN', value: 'en' },
            ]}
            aria-label={t('header.language')}
            data-testid="lang-switch"
          />
          <Flex align="center" gap={8}>
            <Avatar size="small" icon={<UserOutlined />} style={{ background: '#2563eb' }} />
            <Flex vertical style={{ lineHeight: 1.25 }}>
              <Typography.Text strong data-testid="user-name">
                {user.displayName || user.username}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {user.orgName}
              </Typography.Text>
            </Flex>
            <RoleTags user={user} />
          </Flex>
          <Tooltip title={t('header.logout')}>
            <Button icon={<LogoutOutlined />} onClick={() => void onLogout()} data-testid="logout">
              {t('header.logout')}
            </Button>
          </Tooltip>
        </Layout.Header>
        <Layout.Content style={{ padding: 24, background: '#f5f7fa' }}>
          <Suspense fallback={<Flex justify="center" style={{ padding: 80 }}><Spin size="large" /></Flex>}>
            <Outlet />
          </Suspense>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#98a2b3', background: '#f5f7fa', paddingTop: 0 }}>{t('app.footer')}</Layout.Footer>
      </Layout>
    </Layout>
  );
}
