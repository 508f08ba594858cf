import { Writable } from 'node:stream';
import { Exec, KubeConfig, V1Status } from '@kubernetes/client-node';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DRILL_VERIFY_ANNOTATION,
  DRILL_VERIFY_CONTAINER_ANNOTATION,
  DrillVerification,
} from '@openebs-portal/plugin-openebs-storage-common';

/** Long enough for a row count; a check that hangs must not hold the drills. */
export const VERIFY_TIMEOUT_MS = 60_000;
const MAX_COMMAND_LENGTH = 2_000;
/** The end of the output is kept: that is where a check says what failed. */
const OUTPUT_LIMIT = 4_000;

/**
 * The entity's verification as declared by its annotations, or undefined.
 * The command comes from the catalog and is therefore the entity's own word:
 * that is acceptable because it only ever runs in the drill's scratch
 * namespace (isolated, deny-all network), on the entity's own restored copy,
 * and the platform's admission policy refuses the portal an exec anywhere
 * else.
 */
export function verificationOf(entity: Entity): DrillVerification | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const command = annotations[DRILL_VERIFY_ANNOTATION]?.trim();
  if (!command) return undefined;
  if (command.length > MAX_COMMAND_LENGTH || command.includes('\0')) {
    throw new InputError(
      `The ${DRILL_VERIFY_ANNOTATION} annotation must be a shell command of at most ${MAX_COMMAND_LENGTH} characters`,
    );
  }
  const container = annotations[DRILL_VERIFY_CONTAINER_ANNOTATION]?.trim();
  return { command, ...(container && { container }) };
}

function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find(c => c.reason === 'ExitCode');
  return cause?.message === undefined ? undefined : Number(cause.message);
}

/**
 * Runs the verification by `sh -c` in `pod` (over the exec subresource's
 * WebSocket, as kubectl does) and says how it ended. Never throws: a check
 * that cannot run fails, with why.
 */
export function runVerification(
  kubeConfig: KubeConfig,
  namespace: string,
  pod: string,
  verification: DrillVerification,
  timeoutMs = VERIFY_TIMEOUT_MS,
): Promise<DrillVerification> {
  let output = '';
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
      callback();
    },
  });
  return new Promise(resolve => {
    // What ends the exec once it is decided (set as they come into being).
    const open: {
      timer?: ReturnType<typeof setTimeout>;
      socket?: { close(): void };
    } = {};
    let settled = false;
    // The first of exit status, closed connection, error or timeout decides.
    const settle = (result: Omit<DrillVerification, 'command' | 'pod'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(open.timer);
      open.socket?.close();
      resolve({ ...verification, pod, ...result });
    };
    open.timer = setTimeout(
      () =>
        settle({
          passed: false,
          output: `${output}\n(no exit status within ${Math.round(
            timeoutMs / 1000,
          )} s; stopped)`.slice(-OUTPUT_LIMIT),
        }),
      timeoutMs,
    );
    new Exec(kubeConfig)
      .exec(
        namespace,
        pod,
        verification.container ?? '',
        ['sh', '-c', verification.command],
        sink,
        sink,
        null,
        false,
        status => {
          const exitCode = exitCodeOf(status);
          settle({
            passed: exitCode === 0,
            exitCode,
            output: (output || status.message || '').slice(-OUTPUT_LIMIT),
          });
        },
      )
      .then(
        ws => {
          open.socket = ws;
          ws.on('close', () =>
            settle({
              passed: false,
              output:
                `${output}\n(the exec connection closed without an exit status)`.slice(
                  -OUTPUT_LIMIT,
                ),
            }),
          );
        },
        error =>
          settle({
            passed: false,
            output: `The verification could not run: ${
              error?.message ?? String(error)
            }`,
          }),
      );
  });
}
