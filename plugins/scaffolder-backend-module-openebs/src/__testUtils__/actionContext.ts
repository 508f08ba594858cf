import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { validate } from 'jsonschema';
import type { JsonObject, JsonValue } from '@backstage/types';
import type {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';

/**
 * A scaffolder action context for tests, close to the task worker's:
 * - `checkpoint` runs its function once per key and replays the stored JSON
 *   value afterwards, across contexts that share `checkpoints` (a retried
 *   task shares its checkpoint state; a new task does not);
 * - `isDryRun` is passed through;
 * - every log line (message and fields) is captured, so tests can assert that
 *   no secret reaches the log.
 * (@backstage/plugin-scaffolder-node-test-utils' mock context neither runs
 * checkpoint functions reliably nor keeps isDryRun, and targets
 * scaffolder-node 0.13.)
 */
export type TestContext = {
  ctx: ActionContext<any, any>;
  logs: string[];
  outputs: Record<string, unknown>;
  workspacePath: string;
};

/** The user every test task runs for. */
export const INITIATOR = 'user:default/jane.doe';

/** The temporary directories of this test file, removed after its tests. */
const temporaryDirectories: string[] = [];
afterAll(async () => {
  await Promise.all(
    temporaryDirectories
      .splice(0)
      .map(dir => fs.rm(dir, { recursive: true, force: true })),
  );
});

/**
 * A temporary directory that goes after the test file's tests. (Backstage's
 * createMockDirectory keeps its directories when CI is set, and the tests
 * always run with CI=true: a developer's /tmp would fill up.)
 */
export async function makeTemporaryDirectory(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(join(tmpdir(), prefix));
  temporaryDirectories.push(dir);
  return dir;
}

export async function createWorkspace(): Promise<string> {
  return makeTemporaryDirectory('openebs-scaffolder-');
}

function captureLogger(
  lines: string[],
  fields: JsonObject = {},
): LoggerService {
  const log =
    (level: string) => (message: string, meta?: Error | JsonObject) => {
      lines.push(
        `${level} ${message} ${JSON.stringify({ ...fields, ...(meta ?? {}) })}`,
      );
    };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: (meta: JsonObject) => captureLogger(lines, { ...fields, ...meta }),
  };
}

export function createTestContext(options: {
  input: JsonObject;
  workspacePath: string;
  secrets?: Record<string, string>;
  isDryRun?: boolean;
  checkpoints?: Map<string, JsonValue>;
}): TestContext {
  const logs: string[] = [];
  const outputs: Record<string, unknown> = {};
  const checkpoints = options.checkpoints ?? new Map<string, JsonValue>();
  const ctx: ActionContext<any, any> = {
    input: options.input,
    workspacePath: options.workspacePath,
    secrets: options.secrets,
    isDryRun: options.isDryRun,
    logger: captureLogger(logs),
    task: { id: 'test-task' },
    output(name, value) {
      outputs[name as string] = value;
    },
    async checkpoint(opts) {
      if (checkpoints.has(opts.key)) {
        return checkpoints.get(opts.key) as any;
      }
      const value = await opts.fn();
      // Stored as JSON, like the task store does.
      checkpoints.set(
        opts.key,
        value === undefined ? (null as any) : JSON.parse(JSON.stringify(value)),
      );
      return value;
    },
    async createTemporaryDirectory() {
      return makeTemporaryDirectory('openebs-scaffolder-tmp-');
    },
    async getInitiatorCredentials() {
      // As the task worker has them for a task a user started.
      return mockCredentials.user(INITIATOR);
    },
  };
  return { ctx, logs, outputs, workspacePath: options.workspacePath };
}

/**
 * Runs an action's handler as the task worker does: the input is first checked
 * against the action's JSON schema (made from its zod schema), and no zod
 * defaults are applied.
 */
export async function runAction(
  action: TemplateAction<any, any>,
  options: Parameters<typeof createTestContext>[0],
): Promise<TestContext> {
  if (action.schema?.input) {
    const result = validate(options.input, action.schema.input);
    if (!result.valid) {
      throw new InputError(
        `Invalid input passed to action ${action.id}, ${result.errors.join(
          ', ',
        )}`,
      );
    }
  }
  const t = createTestContext(options);
  await action.handler(t.ctx);
  return t;
}
