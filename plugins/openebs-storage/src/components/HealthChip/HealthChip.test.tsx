import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { HealthChip } from './HealthChip';

describe('HealthChip', () => {
  it.each([
    ['protected', 'Protected', 'Status ok'],
    ['at-risk', 'At risk', 'Status warning'],
    ['unprotected', 'Unprotected', 'Status error'],
    ['unknown', 'Unknown', 'Status aborted'],
  ] as const)('shows %s as %s', async (status, label, icon) => {
    await renderInTestApp(
      <HealthChip health={{ status, reason: 'Because.' }} showReason />,
    );
    expect(screen.getByText(label)).toBeInTheDocument();
    expect(screen.getByText('Because.')).toBeInTheDocument();
    // The colour comes from the Backstage status icon of that status.
    expect(screen.getByLabelText(icon)).toBeInTheDocument();
    // The icon sits beside its label, centred, not above it.
    expect(screen.getByText(label)).toHaveStyle({
      display: 'inline-flex',
      alignItems: 'center',
    });
  });

  it('keeps the reason in the tooltip only unless asked', async () => {
    await renderInTestApp(
      <HealthChip health={{ status: 'protected', reason: 'Because.' }} />,
    );
    expect(screen.queryByText('Because.')).not.toBeInTheDocument();
    expect(screen.getByTitle('Because.')).toBeInTheDocument();
  });
});
