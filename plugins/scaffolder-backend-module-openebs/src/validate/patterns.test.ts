import { cronProblem, PROMETHEUS_DURATION } from './patterns';

describe('cronProblem', () => {
  it.each(['0 2 * * *', '*/15 * * * *', '30 1 * * 1-5', '@daily', '@every 6h'])(
    'accepts %p',
    expr => expect(cronProblem(expr)).toBeUndefined(),
  );

  it.each([
    ['61 2 * * *', /out of range/],
    ['0 2 * * 8', /out of range/],
    ['0 2 * *', /five-field/],
    ['daily', /five-field/],
    ['@fortnightly', /five-field/],
    ['a b c d e', /not a valid cron expression/],
  ])('refuses %p, saying why', (expr, why) => {
    expect(cronProblem(expr)).toMatch(why);
  });
});

describe('PROMETHEUS_DURATION', () => {
  it.each(['10m', '1h', '1h30m', '2d', '1w', '90s', '500ms', '1d12h'])(
    'accepts %p',
    d => expect(d).toMatch(PROMETHEUS_DURATION),
  );

  it.each(['', '1', 'h', '1 hour', '30m1h', '-5m', '1.5h', '1H'])(
    'refuses %p',
    d => expect(d).not.toMatch(PROMETHEUS_DURATION),
  );
});
