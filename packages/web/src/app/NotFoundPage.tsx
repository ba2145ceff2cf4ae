import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from './I18nProvider.tsx';
import { shellMessages } from './messages.ts';

export function NotFoundPage() {
  const t = useT(shellMessages);
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('pageNotFound')}
      subTitle={t('pageNotFoundHint')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('backHome')}
        </Button>
      }
    />
  );
}
