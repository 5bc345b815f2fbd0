import { App as AntApp, ConfigProvider, Flex, Spin, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ApiError, configureApi } from './api.ts';
import { AuthProvider, useAuth } from './auth.tsx';
import { useI18n } from './i18n.ts';
import { AppLayout } from './layout/AppLayout.tsx';
import { FacilitiesPage } from './pages/FacilitiesPage.tsx';
import { FacilityDetailPage } from './pages/FacilityDetailPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { RegistrationFormPage } from './pages/RegistrationFormPage.tsx';
import { RegistrationsPage } from './pages/RegistrationsPage.tsx';

// The overview carries ECharts and the map: load it on its own.
const OverviewPage = lazy(() => import('./pages/OverviewPage.tsx').then((m) => ({ default: m.OverviewPage })));
const AlertsPage = lazy(() => import('./pages/AlertsPage.tsx').then((m) => ({ default: m.AlertsPage })));
const IndexPage = lazy(() => import('./pages/IndexPage.tsx').then((m) => ({ default: m.IndexPage })));
const SituationPage = lazy(() => import('./pages/SituationPage.tsx').then((m) => ({ default: m.SituationPage })));
const NetworkPage = lazy(() => import('./pages/NetworkPage.tsx').then((m) => ({ default: m.NetworkPage })));
// The marketplace (算力超市): its own chunk.
const MarketPage = lazy(() => import('./pages/MarketPage.tsx').then((m) => ({ default: m.MarketPage })));
const DemandsPage = lazy(() => import('./pages/DemandsPage.tsx').then((m) => ({ default: m.DemandsPage })));
const DemandFormPage = lazy(() => import('./pages/DemandFormPage.tsx').then((m) => ({ default: m.DemandFormPage })));
const DemandMatchesPage = lazy(() => import('./pages/DemandMatchesPage.tsx').then((m) => ({ default: m.DemandMatchesPage })));
const OrdersPage = lazy(() => import('./pages/OrdersPage.tsx').then((m) => ({ default: m.OrdersPage })));
const MyOffersPage = lazy(() => import('./pages/MyOffersPage.tsx').then((m) => ({ default: m.MyOffersPage })));

function PageSpinner() {
  const { t } = useI18n();
  return (
    <Flex justify="center" align="center" style={{ minHeight: 320 }} data-testid="page-loading">
      <Spin size="large" description={t('common.loading')}>
        <div style={{ width: 160, height: 80 }} />
      </Spin>
    </Flex>
  );
}

/** Connects api.ts to the UI: errors become antd messages, a 401 leads to the login page. */
function ApiBridge() {
  const { message } = AntApp.useApp();
  const { clear } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const locationRef = useRef(location);
  locationRef.current = location;

  useEffect(() => {
    configureApi({
      onError: (error: ApiError) => {
        const text = error.code === 'NETWORK' ? t('common.networkError') : (error.detail ?? t('common.unknownError', { status: error.status }));
        void message.error({ content: text, key: `${error.code}:${text}` });
      },
      onUnauthorized: () => {
        clear();
        const here = locationRef.current;
        if (here.pathname === '/login') return;
        void message.warning({ content: t('login.sessionExpired'), key: 'session-expired' });
        navigate('/login', { replace: true, state: { from: `${here.pathname}${here.search}` } });
      },
    });
  }, [message, clear, navigate, t]);
  return null;
}

function RequireAuth() {
  const { user, checking } = useAuth();
  const location = useLocation();
  if (checking) return <PageSpinner />;
  if (!user) return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return <AppLayout />;
}

export function App() {
  const { lang } = useI18n();
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    document.title = lang === 'en' ? 'Suanli · Computing Power Network' : '算力 · 全国一体化算力网络平台';
  }, [lang]);
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1d4ed8', borderRadius: 6 },
        components: { Layout: { siderBg: '#0b1f44', headerHeight: 64 }, Menu: { darkItemBg: '#0b1f44', darkSubMenuItemBg: '#0b1f44' } },
      }}
    >
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <ApiBridge />
            <Suspense fallback={<PageSpinner />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route element={<RequireAuth />}>
                  <Route index element={<OverviewPage />} />
                  <Route path="index" element={<IndexPage />} />
                  <Route path="situation" element={<SituationPage />} />
                  <Route path="network" element={<NetworkPage />} />
                  <Route path="facilities" element={<FacilitiesPage />} />
                  <Route path="facilities/:id" element={<FacilityDetailPage />} />
                  <Route path="alerts" element={<AlertsPage />} />
                  <Route path="market" element={<MarketPage />} />
                  <Route path="market/demands" element={<DemandsPage />} />
                  <Route path="market/demands/new" element={<DemandFormPage />} />
                  <Route path="market/demands/:id" element={<DemandMatchesPage />} />
                  <Route path="market/orders" element={<OrdersPage />} />
                  <Route path="market/offers" element={<MyOffersPage />} />
                  <Route path="registrations" element={<RegistrationsPage />} />
                  <Route path="registrations/new" element={<RegistrationFormPage />} />
                  <Route path="*" element={<NotFoundPage />} />
                </Route>
              </Routes>
            </Suspense>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
