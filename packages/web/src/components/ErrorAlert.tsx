/** Shows a failed request with the server's message and, when given, a retry button. */
import { Alert, Button } from 'antd';
import { ApiError, errorMessage } from '../api/client.ts';
import { useT } from '../app/I18nProvider.tsx';
import { shellMessages } from '../app/messages.ts';

export function ErrorAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const t = useT(shellMessages);
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={title ?? errorMessage(error)}
      description={title ? errorMessage(error) : code}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
