import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { PhaseStatus } from './PhaseStatus';

describe('PhaseStatus', () => {
  it.each([
    ['Bound', 'Status ok'],
    ['Available', 'Status ok'],
    ['PartiallyFailed', 'Status warning'],
    ['InProgress', 'Status running'],
    ['Unavailable', 'Status error'],
    ['Failed', 'Status error'],
    ['Deleted', 'Status aborted'],
    ['SomethingNew', 'Status aborted'],
  ])('shows %s with %s', async (phase, icon) => {
    await renderInTestApp(<PhaseStatus phase={phase} />);
    expect(screen.getByText(phase)).toBeInTheDocument();
    expect(screen.getByLabelText(icon)).toBeInTheDocument();
    // Icon and text on one line, centred on each other.
    expect(screen.getByText(phase)).toHaveStyle({
      display: 'inline-flex',
      alignItems: 'center',
      whiteSpace: 'nowrap',
    });
  });
});
