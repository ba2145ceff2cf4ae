/** The server's "today": the calendar date in the deployment's time zone (Asia/Shanghai, +8). */
import { dateInZone, type IsoDate } from '@tingjian/engine';

export function today(offsetMinutes = 480): IsoDate {
  return dateInZone(Date.now(), offsetMinutes);
}

export function nowIso(): string {
  return new Date().toISOString();
}
