/** Small pieces shared by the tag pages and the resident 360 view. */
import { CloseCircleFilled, DatabaseOutlined, EditOutlined, FunctionOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../../api/client.ts';
import { tags as tagsApi } from '../../api/tags.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { categoryColor, categoryName, sourceName } from './dictionary.ts';
import { highlight, spanFromDetails } from './expression.ts';
import { tagMessages } from './messages.ts';
import './tags.css';

/** The dictionary of the signed-in user's scope, on the server's date. */
export function useDictionary() {
  return useApi((signal) => tagsApi.dictionary(undefined, signal), []);
}

/** A tag as a coloured chip: warm for 救助类, green for 自治类, blue for 身份类. */
export function TagChip({ code, category, children }: { code: string; category: string; children?: ReactNode }) {
  return (
    <Tag color={categoryColor(category)} style={{ marginInlineEnd: 4 }}>
      {code}
      {children}
    </Tag>
  );
}

export function CategoryTag({ category }: { category: string }) {
  const { lang } = useI18n();
  return (
    <Tag color={categoryColor(category)} variant="outlined">
      {categoryName(category, lang)}
    </Tag>
  );
}

const SOURCE_ICONS: Record<string, ReactNode> = {
  imported: <DatabaseOutlined />,
  rule: <FunctionOutlined />,
  manual: <EditOutlined />,
};

export function SourceLabel({ source }: { source: string }) {
  const { lang } = useI18n();
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {SOURCE_ICONS[source]} {sourceName(source, lang)}
    </span>
  );
}

/**
 * A server error about an expression or a rule: its message and, when the details carry a
 * position, the text with the wrong part marked (or a marker past the end).
 */
export function ExpressionErrorView({ error, text, testId }: { error: unknown; text: string; testId?: string }) {
  const t = useT(tagMessages);
  const span = error instanceof ApiError ? spanFromDetails(error.details) : null;
  const h = span ? highlight(text, span) : null;
  return (
    <div className="tj-expr-error" role="alert" data-testid={testId}>
      <div className="tj-expr-error-msg">
        <CloseCircleFilled aria-hidden /> {errorMessage(error)}
      </div>
      {h && text !== '' && (
        <div className="tj-expr-error-text tj-mono" aria-label={t('errorAt')}>
          {h.before}
          {h.atEnd ? (
            <>
              <mark className="tj-expr-mark tj-expr-mark-end">&nbsp;</mark>
              <span className="tj-expr-end-label">{t('endOfText')}</span>
            </>
          ) : (
            <mark className="tj-expr-mark">{h.marked}</mark>
          )}
          {h.after}
        </div>
      )}
    </div>
  );
}
