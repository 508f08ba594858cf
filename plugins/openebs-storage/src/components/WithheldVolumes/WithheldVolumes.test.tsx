import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { fullStorage } from '../../testing/fixtures';
import { WithheldVolumes, formatWithheld } from './WithheldVolumes';

const reason =
  'The labels of component:shop/shop also match pods in namespaces the platform records as owned by other teams.';

describe('WithheldVolumes', () => {
  it('notes, once per cluster, how many volumes of other owners are left out and why', async () => {
    const [labA, labB] = fullStorage.clusters;
    await renderInTestApp(
      <WithheldVolumes
        clusters={[
          { ...labA, withheld: { volumes: 2, namespaces: 1, reason } },
          labB,
          {
            ...labB,
            cluster: 'lab-c',
            withheld: { volumes: 0, namespaces: 0, reason },
          },
        ]}
      />,
    );

    const notes = screen.getAllByRole('note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toHaveTextContent(
      "2 volumes in 1 namespace of cluster lab-a are not shown: their namespace is recorded as another owner's.",
    );
    expect(notes[0]).toHaveTextContent(reason);
    // Information, not a warning about broken data.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('words one volume and several namespaces', () => {
    expect(formatWithheld('lab-a', { volumes: 1, namespaces: 1, reason })).toBe(
      "1 volume in 1 namespace of cluster lab-a is not shown: its namespace is recorded as another owner's.",
    );
    expect(formatWithheld('lab-a', { volumes: 3, namespaces: 2, reason })).toBe(
      "3 volumes in 2 namespaces of cluster lab-a are not shown: their namespaces are recorded as other owners'.",
    );
  });
});
