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
    ['SomethingNew', 'Status aborted'],
  ])('shows %s with %s', async (phase, icon) => {
    await renderInTestApp(<PhaseStatus phase={phase} />);
    expect(screen.getByText(phase)).toBeInTheDocument();
    expect(screen.getByLabelText(icon)).toBeInTheDocument();
  });
});
