import { PropsWithChildren } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  RESTORE_SIGNAL_CHANNEL,
  RestoreRequestList,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../api';
import { shopEntity } from '../testing/fixtures';
import { completedRestore, inProgressRestore } from '../testing/restores';
import {
  RESTORE_POLL_INTERVAL_MS,
  useEntityRestores,
} from './useEntityRestores';

/** A signal API whose messages the test publishes. */
function fakeSignals() {
  const listeners = new Map<string, (message: any) => void>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      listeners.set(channel, onMessage as (message: any) => void);
      return { unsubscribe: () => listeners.delete(channel) };
    },
  };
  const publish = (channel: string, message: object) =>
    act(() => listeners.get(channel)?.(message));
  return { api, publish };
}

function renderRestores(
  listRestores: jest.Mock<Promise<RestoreRequestList>>,
  signalApi?: SignalApi,
) {
  const wrapper = ({ children }: PropsWithChildren<{}>) =>
    signalApi ? (
      <TestApiProvider
        apis={[
          [openebsStorageApiRef, { listRestores }],
          [signalApiRef, signalApi],
        ]}
      >
        {children}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[openebsStorageApiRef, { listRestores }]]}>
        {children}
      </TestApiProvider>
    );
  return renderHook(() => useEntityRestores(shopEntity), { wrapper });
}

describe('useEntityRestores', () => {
  afterEach(() => jest.useRealTimers());

  it("reloads when the backend signals a change of one of the entity's restores", async () => {
    const listRestores = jest
      .fn()
      .mockResolvedValueOnce({ items: [inProgressRestore] })
      .mockResolvedValue({
        items: [{ ...inProgressRestore, state: 'completed' }],
      });
    const signals = fakeSignals();
    const { result } = renderRestores(listRestores, signals.api);
    await waitFor(() =>
      expect(result.current.value?.items[0].state).toBe('in-progress'),
    );
    expect(listRestores).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'shop',
      name: 'shop',
    });

    // Another entity's restore: nothing to reload.
    signals.publish(RESTORE_SIGNAL_CHANNEL, {
      requestId: 'x',
      entityRef: 'component:shop/cart',
      state: 'completed',
    });
    expect(listRestores).toHaveBeenCalledTimes(1);

    signals.publish(RESTORE_SIGNAL_CHANNEL, {
      requestId: inProgressRestore.requestId,
      entityRef: 'component:shop/shop',
      state: 'completed',
    });
    await waitFor(() =>
      expect(result.current.value?.items[0].state).toBe('completed'),
    );
    expect(listRestores).toHaveBeenCalledTimes(2);
  });

  it('polls while a restore is in progress, and stops when none is', async () => {
    jest.useFakeTimers();
    const listRestores = jest
      .fn()
      .mockResolvedValueOnce({ items: [inProgressRestore, completedRestore] })
      .mockResolvedValue({
        items: [{ ...inProgressRestore, state: 'completed' }, completedRestore],
      });
    // No signals plugin installed.
    const { result } = renderRestores(listRestores);
    await waitFor(() => expect(result.current.value?.items).toHaveLength(2));

    await act(async () => {
      jest.advanceTimersByTime(RESTORE_POLL_INTERVAL_MS);
    });
    await waitFor(() =>
      expect(result.current.value?.items[0].state).toBe('completed'),
    );
    expect(listRestores).toHaveBeenCalledTimes(2);

    await act(async () => {
      jest.advanceTimersByTime(3 * RESTORE_POLL_INTERVAL_MS);
    });
    expect(listRestores).toHaveBeenCalledTimes(2);
  });
});
