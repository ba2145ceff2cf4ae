/** Providers (language, Ant Design locale and theme, session) around the router. */
import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './AppRoutes.tsx';
import { I18nProvider, useI18n } from './I18nProvider.tsx';
import { SessionProvider } from './SessionProvider.tsx';
import { theme } from './theme.ts';

function Localised() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={theme}>
      <AntdApp>
        <SessionProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </AntdApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Localised />
    </I18nProvider>
  );
}
