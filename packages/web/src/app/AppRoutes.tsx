/**
 * The routes: /login and the public self-screener (/screener) outside the shell; every
 * registered page (src/pages/<domain>/index.ts) that the user's role may open inside it; anything
 * else is "page not found".
 */
import { Button, Result, Spin } from 'antd';
import { createElement, Suspense, useMemo } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { errorMessage } from '../api/client.ts';
import LoginPage from '../pages/session/LoginPage.tsx';
import { SCREENER_PATH, ScreenerPage } from '../pages/screener/index.ts';
import { AppShell } from './AppShell.tsx';
import { useT } from './I18nProvider.tsx';
import { shellMessages } from './messages.ts';
import { OrgProvider } from './OrgProvider.tsx';
import { pagesForRole } from './page-registry.ts';
import { PAGES } from './pages.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import { useSession } from './SessionProvider.tsx';

function Gate() {
  const { state, retry } = useSession();
  const location = useLocation();
  const t = useT(shellMessages);
  if (state.status === 'loading') {
    return (
      <div className="tj-center">
        <Spin size="large" description={t('loading')}>
          <div style={{ width: 120, height: 80 }} />
        </Spin>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="tj-center">
        <Result
          status="warning"
          title={t('serverUnreachable')}
          subTitle={errorMessage(state.error)}
          extra={
            <Button type="primary" onClick={retry}>
              {t('retry')}
            </Button>
          }
        />
      </div>
    );
  }
  if (state.status === 'anonymous') {
    return (
      <Navigate to="/login" replace state={{ from: location.pathname + location.search, expired: state.expired }} />
    );
  }
  return (
    <OrgProvider user={state.user}>
      <AppShell>
        <Outlet />
      </AppShell>
    </OrgProvider>
  );
}

export function AppRoutes() {
  const { state } = useSession();
  const role = state.status === 'signed-in' ? state.user.role : '';
  const pages = useMemo(() => pagesForRole(PAGES, role), [role]);
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path={SCREENER_PATH}
        element={
          <Suspense
            fallback={
              <div className="tj-center">
                <Spin size="large" />
              </div>
            }
          >
            <ScreenerPage />
          </Suspense>
        }
      />
      <Route element={<Gate />}>
        {pages.map((page) =>
          page.path === '' ? (
            <Route key="/" index element={createElement(page.element)} />
          ) : (
            <Route key={page.path} path={page.path} element={createElement(page.element)} />
          ),
        )}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
