import * as stat from '@grafana/grafana-foundation-sdk/stat';
import { MonitoringContext } from './context';
import { DATASOURCE, Panel, refIds, series, target, thresholds } from './grafana-panels';
import { DATASTORE_METRICS as M } from './metrics';
import { PANEL_IDS } from './panel-ids';
import { percentOf } from './thresholds';

/** The "Datastores" row of the dashboard: one panel set per datastore the environment monitors, each with its fixed id. */
export function datastorePanels(ctx: MonitoringContext): Panel[] {
  const ns = 'namespace="$namespace"';
  const panels: Panel[] = [];
  const { postgresql, redis, backup } = ctx.datastores;
  const up = (title: string, expr: string, description: string) =>
    new stat.PanelBuilder()
      .title(title)
      .description(description)
      .datasource(DATASOURCE)
      .thresholds(thresholds([{ value: null, color: 'red' }, { value: 1, color: 'green' }]))
      .targets(refIds([target(expr, 'up')]));
  if (postgresql) {
    const pg = `job="${postgresql.job}",${ns}`;
    panels.push(
      [PANEL_IDS.postgresqlUp, up('PostgreSQL up', `max(${M.postgresql.up}{${pg}})`, 'postgres_exporter reaches the database (1) or not (0). PostgresqlDown fires at 0.')],
      [PANEL_IDS.postgresqlConnections, series('PostgreSQL connections', 'short', `Connections in use and max_connections. PostgresqlTooManyConnections fires above ${percentOf(ctx.thresholds.postgresqlConnections)}%.`, [
        target(`sum(${M.postgresql.connections}{${pg}})`, 'in use'),
        target(`max(${M.postgresql.maxConnections}{${pg}})`, 'max_connections'),
      ])],
    );
  }
  if (backup) {
    panels.push([
      PANEL_IDS.backupAge,
      new stat.PanelBuilder()
        .title('Age of the last backup')
        .description(`Time since the last successful run of CronJob ${backup.cronJob}. PostgresqlBackupTooOld fires above ${backup.maxAgeHours}h.`)
        .datasource(DATASOURCE)
        .unit('s')
        .thresholds(thresholds([{ value: null, color: 'green' }, { value: backup.maxAgeHours * 3600, color: 'red' }]))
        .targets(refIds([target(`time() - max(${M.backup.lastSuccess}{${ns},cronjob="${backup.cronJob}"})`, 'age')])),
    ]);
  }
  if (redis) {
    const r = `job="${redis.job}",${ns}`;
    panels.push(
      [PANEL_IDS.redisUp, up('Redis up', `max(${M.redis.up}{${r}})`, 'redis_exporter reaches Redis (1) or not (0). RedisDown fires at 0.')],
      [PANEL_IDS.redisMemory, series('Redis memory', 'bytes', `Memory used and maxmemory. RedisMemoryNearLimit fires above ${percentOf(ctx.thresholds.redisMemory)}%.`, [
        target(`max(${M.redis.memoryUsed}{${r}})`, 'used'),
        target(`max(${M.redis.memoryMax}{${r}})`, 'maxmemory'),
      ])],
      [PANEL_IDS.redisEvictions, series('Redis evictions', 'short', 'Keys evicted per second to stay under maxmemory. RedisEvictingKeys fires when it lasts 15 minutes.', [
        target(`sum(rate(${M.redis.evictions}{${r}}[$__rate_interval]))`, 'evicted/s'),
      ])],
    );
  }
  return panels;
}
