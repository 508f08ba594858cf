import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { DurationAgainstLimit } from './DurationAgainstLimit';

describe('DurationAgainstLimit', () => {
  it('prints a duration within its limit plainly', async () => {
    await renderInTestApp(
      <DurationAgainstLimit seconds={12} limitSeconds={30} />,
    );
    expect(screen.getByText('12 s')).toBeInTheDocument();
  });

  it('flags a duration over its limit', async () => {
    await renderInTestApp(
      <DurationAgainstLimit seconds={330} limitSeconds={300} />,
    );
    expect(
      screen.getByText('5 min 30 s (over the 5 min limit)'),
    ).toBeInTheDocument();
  });

  it("trusts the backend's verdict over its own comparison", async () => {
    await renderInTestApp(
      <DurationAgainstLimit
        seconds={300}
        limitSeconds={300}
        withinLimit={false}
      />,
    );
    expect(
      screen.getByText('5 min (over the 5 min limit)'),
    ).toBeInTheDocument();
  });

  it('shows a dash when nothing was measured', async () => {
    await renderInTestApp(<DurationAgainstLimit limitSeconds={30} />);
    expect(screen.getByText('—')).toBeInTheDocument();
  });
});
