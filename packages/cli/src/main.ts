/** `tingjian`: the command line. One file per verb under commands/; each is thin over the services. */
import { Command, CommanderError } from 'commander';
import { AppError } from '@tingjian/server';
import { registerDemo } from './commands/demo.command.ts';
import { registerImport } from './commands/import.command.ts';
import { registerSegment } from './commands/segment.command.ts';
import { registerScan } from './commands/scan.command.ts';
import { registerAssess } from './commands/assess.command.ts';
import { registerAudit } from './commands/audit.command.ts';

const program = new Command();
program.name('tingjian').description('听见 Tingjian：政策找人 —— 社区实有人口与精准救助').version('0.1.0');
registerImport(program);
registerDemo(program);
registerSegment(program);
registerScan(program);
registerAssess(program);
registerAudit(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(
    `错误 (error): ${err instanceof AppError ? `${err.message} [${err.code}]` : err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(err instanceof AppError && err.status < 500 ? 2 : 1);
}
