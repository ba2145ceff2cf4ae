/**
 * The visual builder: groups of "包含 / 不包含 <tag>" rows. Groups are joined by one operator, the
 * rows inside a group by the other, which covers the usual "all of these, one of those, none of
 * that". Everything it builds is written to the text box as an expression (expression.ts).
 */
import { CloseOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Segmented, Select, Tag, Tooltip, Typography } from 'antd';
import { Fragment } from 'react';
import { useT } from '../../app/I18nProvider.tsx';
import { categoryColor, type TagOptionGroup } from './dictionary.ts';
import {
  addCondition,
  addGroup,
  removeCondition,
  removeGroup,
  updateCondition,
  type BuilderModel,
  type ExpressionShape,
} from './expression.ts';
import { tagMessages } from './messages.ts';

export interface SelectionBuilderProps {
  model: BuilderModel;
  /** What the text box holds: an advanced expression hides the builder, an invalid one pauses it. */
  shape: ExpressionShape['status'];
  options: TagOptionGroup[];
  onChange: (model: BuilderModel) => void;
  onRestart: () => void;
}

export function SelectionBuilder({ model, shape, options, onChange, onRestart }: SelectionBuilderProps) {
  const t = useT(tagMessages);

  if (shape === 'advanced') {
    return (
      <Alert
        type="info"
        showIcon
        title={t('advanced')}
        description={t('advancedHint')}
        data-testid="builder-advanced"
        action={
          <Button size="small" onClick={onRestart}>
            {t('restartBuilder')}
          </Button>
        }
      />
    );
  }

  const paused = shape === 'invalid';
  const outer = model.join === 'and' ? t('and') : t('or');
  const inner = model.join === 'and' ? t('or') : t('and');
  const known = new Set(options.flatMap((g) => g.options.map((o) => o.value)));
  const selectOptions = options.map((g) => ({
    label: g.label,
    title: g.title,
    options: g.options.map((o) => ({
      value: o.value,
      label: (
        <Tag color={categoryColor(o.tag.category)} style={{ marginInlineEnd: 0 }}>
          {o.label}
        </Tag>
      ),
      code: o.value,
    })),
  }));

  return (
    <div data-testid="selection-builder">
      {paused && (
        <Typography.Text type="warning" style={{ display: 'block', marginBottom: 6, fontSize: 12 }}>
          {t('builderPaused')}
        </Typography.Text>
      )}
      <div className={`tj-builder${paused ? ' tj-builder-disabled' : ''}`} aria-disabled={paused}>
        <div className="tj-builder-top">
          <Segmented<'and' | 'or'>
            size="small"
            value={model.join}
            onChange={(join) => onChange({ ...model, join })}
            data-testid="builder-join"
            options={[
              { value: 'and', label: t('joinAnd') },
              { value: 'or', label: t('joinOr') },
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {model.join === 'and' ? t('joinAndHint') : t('joinOrHint')}
          </Typography.Text>
        </div>

        {model.groups.length === 0 && (
          <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
            {t('builderEmpty')}
          </Typography.Text>
        )}

        {model.groups.map((group, g) => (
          <Fragment key={g}>
            {g > 0 && (
              <Tag className="tj-builder-join" color={model.join === 'and' ? 'blue' : 'orange'} variant="filled">
                {outer}
              </Tag>
            )}
            <div className="tj-builder-group" data-testid={`builder-group-${g}`}>
              <div className="tj-builder-group-head">
                <span>{t('group', { n: g + 1 })}</span>
                <Tooltip title={t('removeGroup')}>
                  <Button
                    size="small"
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('removeGroup')}
                    onClick={() => onChange(removeGroup(model, g))}
                  />
                </Tooltip>
              </div>
              {group.conditions.map((c, k) => (
                <Fragment key={k}>
                  {k > 0 && <div className="tj-builder-inner">{inner}</div>}
                  <div className="tj-builder-row" data-testid="builder-row">
                    <Select<'in' | 'out'>
                      size="middle"
                      style={{ width: 100 }}
                      value={c.negate ? 'out' : 'in'}
                      aria-label={`${t('include')} / ${t('exclude')}`}
                      onChange={(v) => onChange(updateCondition(model, g, k, { negate: v === 'out' }))}
                      options={[
                        { value: 'in', label: t('include') },
                        { value: 'out', label: t('exclude') },
                      ]}
                      data-testid="builder-negate"
                    />
                    <Select<string>
                      size="middle"
                      style={{ flex: '1 1 200px', maxWidth: 280 }}
                      showSearch={{ optionFilterProp: 'code' }}
                      placeholder={t('pickTag')}
                      aria-label={t('pickTag')}
                      value={c.code ?? undefined}
                      options={selectOptions}
                      popupMatchSelectWidth={false}
                      // A typed code that is not in the dictionary (the server says so below the text box).
                      status={c.code !== null && known.size > 0 && !known.has(c.code) ? 'error' : undefined}
                      onChange={(v) => onChange(updateCondition(model, g, k, { code: v }))}
                      data-testid="builder-tag"
                    />
                    <Tooltip title={t('removeRow')}>
                      <Button
                        size="small"
                        type="text"
                        icon={<CloseOutlined />}
                        aria-label={t('removeRow')}
                        onClick={() => onChange(removeCondition(model, g, k))}
                      />
                    </Tooltip>
                  </div>
                </Fragment>
              ))}
              <Button
                size="small"
                type="link"
                icon={<PlusOutlined />}
                style={{ paddingInline: 0, marginTop: 4 }}
                onClick={() => onChange(addCondition(model, g))}
                data-testid={`builder-add-row-${g}`}
              >
                {model.join === 'and' ? t('addRowOr') : t('addRowAnd')}
              </Button>
            </div>
          </Fragment>
        ))}

        <div style={{ marginTop: 8 }}>
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => onChange(addGroup(model))}
            data-testid="builder-add-group"
          >
            {t('addGroup')}
          </Button>
        </div>
      </div>
    </div>
  );
}
