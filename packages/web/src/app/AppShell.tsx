/**
 * The frame around every page: the side menu (from the page registry) with the area navigator
 * below it, and a header with the current area, the user (name, role, area), language and sign-out.
 */
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Menu, Segmented, Spin, Tag, Tooltip, Typography } from 'antd';
import { createElement, memo, Suspense, useMemo, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { AreaNavigator } from './AreaNavigator.tsx';
import { useI18n, useLabel, useT } from './I18nProvider.tsx';
import type { Lang } from './i18n.ts';
import { shellMessages } from './messages.ts';
import { useOrg } from './OrgProvider.tsx';
import { menuFor, selectedMenuPath } from './page-registry.ts';
import { PAGES } from './pages.ts';
import { useSession, useUser } from './SessionProvider.tsx';
import { roleName } from './terms.ts';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';

// The area tree (a couple of hundred nodes) depends on the area only, not on the URL: the shell
// re-renders on every navigation (useLocation), the tree must not.
const StableAreaNavigator = memo(AreaNavigator);

export function AppShell({ children }: { children: ReactNode }) {
  const user = useUser();
  const { logout } = useSession();
  const { lang, setLang } = useI18n();
  const t = useT(shellMessages);
  const label = useLabel();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = AntdApp.useApp();
  const { current, currentCode, setCurrent } = useOrg();

  const menu = useMemo(() => menuFor(PAGES, user.role), [user.role]);
  const selected = selectedMenuPath(PAGES, location.pathname);
  const items = menu.map((p) => ({ key: `/${p.path}`, icon: createElement(p.menu.icon), label: label(p.menu.label) }));
  const area = user.orgPath.map((o) => o.name).join(' / ');

  const onLogout = async () => {
    await logout().catch(() => undefined);
    message.info(t('signedOut'));
    navigate('/login', { replace: true });
  };

  return (
    <div className="tj-shell">
      <a className="tj-skip-link" href="#tj-main">
        {t('skipToContent')}
      </a>
      <aside className="tj-sider" aria-label={t('mainMenu')}>
        <div className="tj-brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <div>
            <div className="tj-brand-name">
              {t('appName')}
              {lang === 'zh' && <span className="tj-brand-latin"> Tingjian</span>}
            </div>
            <div className="tj-brand-tagline">{t('appTagline')}</div>
          </div>
        </div>
        <nav aria-label={t('mainMenu')}>
          <Menu
            mode="inline"
            items={items}
            selectedKeys={selected !== undefined ? [`/${selected}`] : []}
            onClick={({ key }) => navigate(key)}
            className="tj-menu"
          />
        </nav>
        <StableAreaNavigator />
      </aside>
      <div className="tj-main-column">
        <header className="tj-header">
          <div className="tj-header-area">
            <Typography.Text type="secondary">{t('currentArea')}：</Typography.Text>
            <Typography.Text strong data-testid="current-org">
              {current.name}
            </Typography.Text>
            {currentCode !== null && (
              <Button size="small" type="link" onClick={() => setCurrent(null)}>
                {t('resetArea')}
              </Button>
            )}
          </div>
          <div className="tj-header-user" data-testid="header-user">
            <UserOutlined aria-hidden />
            <span className="tj-user-name">{user.displayName}</span>
            <Tag color="blue" variant="filled">
              {lang === 'zh' ? user.roleLabel : roleName(user.role, lang, user.roleLabel)}
            </Tag>
            <Tooltip title={area}>
              <span className="tj-user-area">{area}</span>
            </Tooltip>
            <Segmented
              size="small"
              aria-label={t('language')}
              value={lang}
              onChange={(v) => setLang(v as Lang)}
              options={[
                { label: '中文', value: 'zh' },
                { label: 'EN', value: 'en' },
              ]}
            />
            <Button size="small" icon={<LogoutOutlined />} onClick={onLogout}>
              {t('signOut')}
            </Button>
          </div>
        </header>
        <main id="tj-main" className="tj-content" tabIndex={-1}>
          <ErrorBoundary key={location.pathname}>
            <Suspense
              fallback={
                <div className="tj-center-block">
                  <Spin size="large" />
                </div>
              }
            >
              {children}
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
