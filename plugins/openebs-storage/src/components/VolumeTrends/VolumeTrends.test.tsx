import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  freezeClock,
  fullStorage,
  hostpathVolume,
} from '../../testing/fixtures';
import { VolumeTrends } from './VolumeTrends';

describe('VolumeTrends', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('summarises the window and loads the three charts lazily', async () => {
    await renderInTestApp(
      <VolumeTrends
        volume={hostpathVolume}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );
    expect(
      screen.getByText(
        '1 of 3 finished backups good in the last 30 days (33%)',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Bytes per good backup'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Backup duration (service level 5 min)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Runs per day, last 30 days')).toBeInTheDocument();
  });

  it('says there is nothing to chart when no backup finished in the window', async () => {
    await renderInTestApp(
      <VolumeTrends
        volume={{ ...hostpathVolume, backups: [] }}
        serviceLevels={fullStorage.serviceLevels}
      />,
    );
    expect(
      screen.getByText(/No backup of this volume finished in the last 30 days/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Bytes per good backup')).not.toBeInTheDocument();
  });
});
