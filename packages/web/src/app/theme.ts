/** The Ant Design theme: a calm civic blue, CJK fonts first, compact enough for 1366×768. */
import type { ThemeConfig } from 'antd';

export const PRIMARY = '#0f5c8c';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: PRIMARY,
    colorLink: PRIMARY,
    borderRadius: 6,
    fontSize: 14,
    fontFamily:
      '"PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "Source Han Sans SC", -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#ffffff', bodyBg: '#f4f6f9', headerHeight: 56, headerPadding: '0 20px' },
    Menu: { itemHeight: 38, itemMarginBlock: 2, itemSelectedBg: '#e3eef6', itemSelectedColor: PRIMARY },
    Tree: { nodeSelectedBg: '#d5e6f2', nodeHoverBg: '#eef4f9' },
    Card: { headerFontSize: 15 },
    Table: { cellPaddingBlock: 9 },
  },
};

/** Series colours shared by the charts (men / women, residents / households …). */
export const CHART_COLORS = {
  primary: PRIMARY,
  secondary: '#3aa57a',
  male: '#3b7dd8',
  female: '#d9577b',
  muted: '#9aa5b1',
  warning: '#d98a1c',
};
