import { cronProblem } from './patterns';

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
