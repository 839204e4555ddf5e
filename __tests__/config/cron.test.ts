import { cronScheduleProblem } from '../../lib/cron';

// What robfig/cron v3 ParseStandard (used by the Kubernetes 1.28 API server and CronJob controller) accepts and refuses.
describe('cron schedules as Kubernetes accepts them', () => {
  const accepted = [
    '0 3 * * *', '*/15 * * * *', '0 3 * * 1-5', '30 2 1,15 * *', '0 0 * JAN,JUL SUN', '0 0 * jan-mar mon-fri',
    '5/15 * * * *', '0 0 ? * ?', '0 0 1 */3 *', '00 03 * * *', '+5 * * * *', '0 0 * * 6', '1,,2 * * * *',
    '@daily', '@midnight', '@hourly', '@weekly', '@monthly', '@yearly', '@annually', '@every 1h30m', '@every 90s',
    '0  3\t* * *',
  ];
  const refused: Array<[string, RegExp]> = [
    ['a b c d e', /minute field "a": "a" is not a number/],
    ['99 99 99 99 99', /minute field "99": 99 is above the maximum 59/],
    ['60 * * * *', /above the maximum 59/],
    ['0 24 * * *', /hour field/],
    ['0 0 0 * *', /day of month field "0": 0 is below the minimum 1/],
    ['0 0 * 13 *', /month field/],
    ['0 3 * * 7', /day of week field "7": 7 is above the maximum 6/],
    ['* * * *', /has 4 fields/],
    ['0 0 * * * *', /has 6 fields/],
    ['*/0 * * * *', /step must be a positive number/],
    ['5-1 * * * *', /runs backwards/],
    ['1-2-3 * * * *', /too many hyphens/],
    ['1/2/3 * * * *', /too many slashes/],
    ['-1 * * * *', /not a number/],
    ['0 0 * * MONDAY', /not a number or a name/],
    ['TZ=Europe/Madrid 0 3 * * *', /TZ/],
    ['@daily ', /unknown descriptor/],
    ['@every', /unknown descriptor/],
    ['@every 1 hour', /unknown descriptor/],
    ['', /is empty/],
  ];
  test.each(accepted)('accepts %j', (schedule) => expect(cronScheduleProblem(schedule)).toBeUndefined());
  test.each(refused)('refuses %j', (schedule, why) => expect(cronScheduleProblem(schedule)).toMatch(why));
});
