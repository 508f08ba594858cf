import {
  RestoreDrill,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';
import { recoveryTimes } from './recoveryTimes';

const drill = (overrides: Partial<RestoreDrill>) =>
  ({
    queuedAt: '2026-11-01T09:00:00Z',
    volumes: [],
    ...overrides,
  } as RestoreDrill);
const restore = (overrides: Partial<RestoreRequest>) =>
  overrides as RestoreRequest;

describe('recoveryTimes', () => {
  it("puts drills' and users' measured recoveries on one time line, oldest first", () => {
    expect(
      recoveryTimes(
        [
          drill({ finishedAt: '2026-11-10T09:05:00Z', recoverySeconds: 250 }),
          // Refused or still running: nothing measured.
          drill({ state: 'failed' }),
          drill({ finishedAt: '2026-11-03T09:04:00Z', recoverySeconds: 200 }),
        ],
        [
          restore({ completedAt: '2026-11-05T12:00:00Z', durationSeconds: 40 }),
          restore({ state: 'in-progress' }),
        ],
      ),
    ).toEqual([
      { at: Date.parse('2026-11-03T09:04:00Z'), drillSeconds: 200 },
      { at: Date.parse('2026-11-05T12:00:00Z'), restoreSeconds: 40 },
      { at: Date.parse('2026-11-10T09:05:00Z'), drillSeconds: 250 },
    ]);
  });
});
