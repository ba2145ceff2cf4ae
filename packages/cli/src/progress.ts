/** A progress bar per table on a terminal; silent when output is piped. */
import cliProgress from 'cli-progress';
import type { ImportProgress } from '@tingjian/server';

export function importProgressBar(): { onProgress: (p: ImportProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const bars = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' {file} |{bar}| {percentage}% | {rows} 行',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const byFile = new Map<string, cliProgress.SingleBar>();
  return {
    onProgress(p) {
      let bar = byFile.get(p.file);
      if (!bar) {
        bar = bars.create(Math.max(p.total, 1), 0, { file: p.file.padEnd(18), rows: 0 });
        byFile.set(p.file, bar);
      }
      bar.update(Math.min(p.done, p.total), { rows: p.rows });
    },
    stop: () => bars.stop(),
  };
}
