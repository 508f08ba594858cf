import { useState } from 'react';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  RestorePreview,
  RestoreRequestInput,
} from '@openebs-portal/plugin-openebs-storage-common';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { openebsStorageApiRef } from '../api';

/** How long the form must stay unchanged before the preview is asked for. */
const PREVIEW_DELAY_MS = 300;

/** What a preview is asked about: the request, without its idempotency key. */
export type RestoreInput = Omit<RestoreRequestInput, 'requestId'>;

/** The backend's answer to one preview, with the input it answers. */
export type PreviewAnswer = { key: string } & (
  | { preview: RestorePreview; error?: undefined }
  | { preview?: undefined; error: Error }
);

/**
 * Asks the backend what the restore would bring back, once the form has
 * rested for {@link PREVIEW_DELAY_MS}. Only the answer to the form as it is
 * now counts: an answer to an earlier state of the form is never returned,
 * and an answer that arrives after a newer question is dropped.
 */
export function useRestorePreview(
  entityRef: CompoundEntityRef,
  input: RestoreInput | undefined,
) {
  const api = useApi(openebsStorageApiRef);
  const key = input && JSON.stringify(input);
  // Bumped by "Check again": the same question, asked once more.
  const [attempt, setAttempt] = useState(0);
  const [question, setQuestion] = useState<{
    key: string;
    input: RestoreInput;
    attempt: number;
  }>();
  useDebounce(
    () => setQuestion(input && key ? { key, input, attempt } : undefined),
    PREVIEW_DELAY_MS,
    [key, attempt],
  );
  // Not keyed on entityRef: it is fixed while the dialog is open.
  const { value, loading } = useAsync(async (): Promise<
    PreviewAnswer | undefined
  > => {
    if (!question) {
      return undefined;
    }
    try {
      const preview = await api.previewRestore(entityRef, question.input);
      return { key: question.key, preview };
    } catch (e) {
      return { key: question.key, error: e as Error };
    }
  }, [api, question]);

  const answer = key && value?.key === key ? value : undefined;
  return {
    answer,
    /** The form is complete and its answer is not in yet (or asked again). */
    checking: Boolean(key) && (!answer || question?.key !== key || loading),
    checkAgain: () => setAttempt(n => n + 1),
  };
}
