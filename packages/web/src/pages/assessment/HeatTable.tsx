/**
 * The heat table: a row per sub-unit, a column per indicator with its censored headcount ratio
 * (the share of households that are poor and deprived in it), coloured on one scale for the whole
 * table so that a dark cell stands out among the units as well as among the indicators.
 */
import { Button, Table, Tooltip, Typography, type TableProps } from 'antd';
import type { HTMLAttributes, KeyboardEvent } from 'react';
import type { AreaFigures, FrameworkIndicator } from '../../api/assessment.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { heatMax } from './charts.ts';
import { decimal, heatColor, percent } from './figures.ts';
import { assessmentMessages } from './messages.ts';
import { indicatorName } from './names.ts';

/** An indicator column: wide enough for 0.0%–100.0% and a two-line name, narrow enough that ten fit at 1366 px. */
const COLUMN = 66;

export interface HeatTableProps {
  /** The rows: the sub-units with households (or the area itself when it has none below it). */
  units: readonly AreaFigures[];
  /** The area itself, for the total row. */
  total: AreaFigures;
  indicators: readonly FrameworkIndicator[];
  /** A cell: the households of that unit deprived in that indicator. */
  onCell: (unit: AreaFigures, indicator: string) => void;
  /** A column head: the households of the whole area deprived in that indicator. */
  onIndicator: (indicator: string) => void;
  /** A unit's name: make it the current area. Absent for the area's own row. */
  onOpenUnit?: (unit: AreaFigures) => void;
}

export function HeatTable({ units, total, indicators, onCell, onIndicator, onOpenUnit }: HeatTableProps) {
  const t = useT(assessmentMessages);
  const { lang } = useI18n();
  const max = heatMax(units, indicators);
  const name = (x: FrameworkIndicator) => indicatorName(x.code, lang, x.name);
  const count = (u: AreaFigures, code: string) => Math.round((u.censored[code] ?? 0) * u.n);

  const columns: TableProps<AreaFigures>['columns'] = [
    {
      title: t('unit'),
      dataIndex: 'name',
      key: 'name',
      fixed: 'left',
      width: 104,
      ellipsis: true,
      render: (v: string, u) =>
        onOpenUnit && u.code !== total.code ? (
          <Tooltip title={t('openUnit', { name: v })}>
            <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => onOpenUnit(u)}>
              {v}
            </Button>
          </Tooltip>
        ) : (
          v
        ),
    },
    { title: 'n', dataIndex: 'n', key: 'n', width: 50, align: 'right', sorter: (a, b) => a.n - b.n },
    { title: 'q', dataIndex: 'q', key: 'q', width: 46, align: 'right', sorter: (a, b) => a.q - b.q },
    {
      title: 'H',
      dataIndex: 'H',
      key: 'H',
      width: 64,
      align: 'right',
      sorter: (a, b) => a.H - b.H,
      render: (v: number) => percent(v, 1),
    },
    {
      title: 'A',
      dataIndex: 'A',
      key: 'A',
      width: 60,
      align: 'right',
      sorter: (a, b) => a.A - b.A,
      render: (v: number) => decimal(v),
    },
    {
      title: 'M0',
      dataIndex: 'M0',
      key: 'M0',
      width: 72,
      align: 'right',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.M0 - b.M0,
      render: (v: number) => <b>{percent(v)}</b>,
    },
    ...indicators.map((x): NonNullable<TableProps<AreaFigures>['columns']>[number] => ({
      key: x.code,
      width: COLUMN,
      align: 'center',
      title: (
        <Tooltip title={t('filterByIndicator', { name: name(x) })}>
          <Button
            type="link"
            size="small"
            className="tj-heat-head"
            onClick={() => onIndicator(x.code)}
            data-testid={`heat-head-${x.code}`}
          >
            {name(x)}
          </Button>
        </Tooltip>
      ),
      render: (_: unknown, u) => percent(u.censored[x.code] ?? 0, 1),
      onCell: (u) => {
        const v = u.censored[x.code] ?? 0;
        const heat = heatColor(v, max);
        const title = t('cellTitle', {
          unit: u.name,
          indicator: name(x),
          share: percent(v, 1),
          count: count(u, x.code),
        });
        return {
          className: heat ? 'tj-heat-cell' : 'tj-heat-cell tj-heat-zero',
          style: heat ? { background: heat.background, color: heat.color } : undefined,
          title,
          tabIndex: 0,
          role: 'button',
          'aria-label': title,
          'data-testid': `heat-${u.code}-${x.code}`,
          onClick: () => onCell(u, x.code),
          onKeyDown: (e: KeyboardEvent) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              onCell(u, x.code);
            }
          },
        } as HTMLAttributes<HTMLElement>;
      },
    })),
  ];

  return (
    <Table<AreaFigures>
      className="tj-heat"
      size="small"
      rowKey="code"
      bordered
      pagination={false}
      columns={columns}
      dataSource={[...units]}
      scroll={{ x: 396 + indicators.length * COLUMN, y: 420 }}
      data-testid="heat-table"
      summary={() => (
        <Table.Summary fixed="bottom">
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <Tooltip title={total.name}>
                <Typography.Text strong>{t('total')}</Typography.Text>
              </Tooltip>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              {total.n}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              {total.q}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {percent(total.H, 1)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              {decimal(total.A)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">
              <b>{percent(total.M0)}</b>
            </Table.Summary.Cell>
            {indicators.map((x, i) => (
              <Table.Summary.Cell key={x.code} index={6 + i} align="center">
                {percent(total.censored[x.code] ?? 0, 1)}
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        </Table.Summary>
      )}
    />
  );
}
