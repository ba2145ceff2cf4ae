/** Today as YYYY-MM-DD in the browser's time zone (ages, whether a benefit is current). */
import dayjs from 'dayjs';

export const today = (): string => dayjs().format('YYYY-MM-DD');
