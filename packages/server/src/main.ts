/**
 * `npm start`: opens (and migrates) the database, loads the county hierarchy, seeds the demo on
 * an empty database, and serves on http://HOST:PORT.
 */
import { buildApp } from './app.ts';
import { today } from './clock.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { createServices } from './services.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ sqlitePath: config.TINGJIAN_DB, postgresUrl: config.DATABASE_URL });
  const services = await createServices(database, config);
  if (config.TINGJIAN_SEED_DEMO === 'auto' && (await services.demo.registryIsEmpty())) {
    const started = Date.now();
    console.log(`空数据库：正在生成演示数据（${config.TINGJIAN_DEMO_RESIDENTS} 名居民）…`);
    const result = await services.demo.seed({
      residents: config.TINGJIAN_DEMO_RESIDENTS,
      asOf: today(config.TINGJIAN_TZ_OFFSET_MINUTES),
      password: config.TINGJIAN_DEMO_PASSWORD,
    });
    console.log(
      `演示数据已生成：${result.summary.tables.residents?.inserted ?? 0} 名居民，${result.accounts.length} 个演示账号，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`,
    );
    console.log(
      `演示账号：district（长宁区）、huayang（华阳路街道）、xinjing（新泾镇）、adviser.<居委会代码>（救助顾问）`,
    );
    console.log(
      result.passwordGenerated
        ? `演示密码（已随机生成，请记下）：${result.password}`
        : '演示密码：取自 TINGJIAN_DEMO_PASSWORD',
    );
  }
  const app = await buildApp({
    services,
    secureCookies: config.TINGJIAN_SECURE_COOKIES === 'true',
    logger: { level: config.TINGJIAN_LOG_LEVEL },
  });
  const close = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ port: config.PORT, host: config.HOST });
  // The dashboard figures and the tag index of today, in the background; again when the date rolls
  // over, so that a birthday (高龄老人 from the 80th) shows from the first request of that day.
  let warmedFor = services.today();
  services.stats.warm(warmedFor);
  services.tags.warm(warmedFor);
  services.policies.warm(warmedFor);
  services.assessment.warm(warmedFor);
  setInterval(() => {
    const now = services.today();
    if (now === warmedFor) return;
    warmedFor = now;
    services.stats.warm(now);
    services.tags.warm(now);
    services.policies.warm(now);
    services.assessment.warm(now);
  }, 60_000).unref();
  console.log(
    `听见 Tingjian 已启动：http://${config.HOST === '127.0.0.1' ? 'localhost' : config.HOST}:${config.PORT}  （API 文档：/docs，数据库：${database.location}）`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
