import { KubeConfig } from '@kubernetes/client-node';
import { MigrationManifest } from '@openebs-portal/plugin-openebs-storage-common';
import { requestJson } from '../kubernetes/kubernetesRequest';

/** Labels every object a migration creates with the migration's id. */
export const MIGRATION_LABEL = 'openebs-portal.dev/migration';

/*
 * The pod that copies a volume and proves the copy, and the one that
 * proves a volume unchanged. Both write the manifest of a volume — one
 * `sha256  ./path` line per regular file, sorted by path — and end with its
 * size and digest as their termination message, which the runner reads.
 * The copy compares the manifests of both sides and fails on any
 * difference, listing the first ones. BusyBox's tools are enough, so the
 * image is a small one the platform already pulls.
 */
/** Where the scripts find the volumes and leave their summary. */
export interface ScriptPaths {
  source: string;
  target: string;
  summary: string;
  work: string;
}

const IN_POD: ScriptPaths = {
  source: '/source',
  target: '/target',
  summary: '/dev/termination-log',
  work: '/tmp',
};

const manifestFunctions = (
  p: ScriptPaths,
) => `manifest() { (cd "$1" && find . -type f -exec sha256sum {} + | LC_ALL=C sort -k 2); }
summary() {
  files=$(wc -l < "$1")
  bytes=$(cd "$2" && find . -type f -exec stat -c %s {} + | awk '{ s += $1 } END { printf "%d", s }')
  sum=$(sha256sum < "$1" | cut -d ' ' -f 1)
  printf '{"files":%d,"bytes":%d,"sha256":"%s"}' "$files" "$bytes" "$sum" > "${p.summary}"
}`;

/** Copies source into target, compares both manifests, writes the summary. */
export const copyScript = (p: ScriptPaths = IN_POD) => `set -eu
${manifestFunctions(p)}
manifest "${p.source}" > "${p.work}/source.sha256"
cp -a "${p.source}/." "${p.target}/"
# BusyBox's cp -a keeps every time but a symbolic link's own: set it.
(cd "${p.source}" && find . -type l) | while IFS= read -r link; do
  touch -h -d "@$(stat -c %Y "${p.source}/$link")" "${p.target}/$link"
done
manifest "${p.target}" > "${p.work}/target.sha256"
if ! cmp -s "${p.work}/source.sha256" "${p.work}/target.sha256"; then
  echo "the copy differs from the source (- source, + copy):"
  diff "${p.work}/source.sha256" "${p.work}/target.sha256" | head -n 20
  exit 1
fi
summary "${p.work}/source.sha256" "${p.source}"`;

/** Writes the summary of the source's manifest only. */
export const verifyScript = (p: ScriptPaths = IN_POD) => `set -eu
${manifestFunctions(p)}
manifest "${p.source}" > "${p.work}/source.sha256"
summary "${p.work}/source.sha256" "${p.source}"`;

export interface CopyPodSpec {
  migrationId: string;
  namespace: string;
  name: string;
  image: string;
  /** The old volume's node, where a node-local volume must be read. */
  node?: string;
  sourceClaim: string;
  /** Absent: the pod only writes the source's manifest. */
  targetClaim?: string;
}

export function buildCopyPod(spec: CopyPodSpec) {
  const claimVolume = (name: string, claimName: string, readOnly: boolean) => ({
    name,
    persistentVolumeClaim: { claimName, readOnly },
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: { [MIGRATION_LABEL]: spec.migrationId },
    },
    spec: {
      restartPolicy: 'Never',
      // The pod needs no API access; the platform's admission policy for
      // the portal's pods refuses a token.
      automountServiceAccountToken: false,
      ...(spec.node && {
        nodeSelector: { 'kubernetes.io/hostname': spec.node },
      }),
      containers: [
        {
          name: spec.targetClaim ? 'copy' : 'verify',
          image: spec.image,
          command: [
            'sh',
            '-c',
            spec.targetClaim ? copyScript() : verifyScript(),
          ],
          // Root reads every file and keeps owners and modes in the copy.
          securityContext: { runAsUser: 0 },
          terminationMessagePolicy: 'FallbackToLogsOnError',
          volumeMounts: [
            { name: 'source', mountPath: '/source', readOnly: true },
            ...(spec.targetClaim
              ? [{ name: 'target', mountPath: '/target' }]
              : []),
          ],
        },
      ],
      volumes: [
        claimVolume('source', spec.sourceClaim, true),
        ...(spec.targetClaim
          ? [claimVolume('target', spec.targetClaim, false)]
          : []),
      ],
    },
  };
}

/** How a copy or verify pod stands. */
export type CopyPodResult =
  | { state: 'absent' }
  | { state: 'waiting'; reason: string }
  | { state: 'succeeded'; manifest: MigrationManifest }
  | { state: 'failed'; reason: string };

export async function readCopyPod(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
): Promise<CopyPodResult> {
  let pod: any;
  try {
    pod = await requestJson<any>(
      kubeConfig,
      `/api/v1/namespaces/${encodeURIComponent(
        namespace,
      )}/pods/${encodeURIComponent(name)}`,
    );
  } catch (error: any) {
    if (error.statusCode === 404) return { state: 'absent' };
    throw error;
  }
  const status = pod.status?.containerStatuses?.[0];
  const message: string = status?.state?.terminated?.message ?? '';
  if (pod.status?.phase === 'Succeeded') {
    try {
      return { state: 'succeeded', manifest: JSON.parse(message) };
    } catch {
      return {
        state: 'failed',
        reason: `the pod ended without its manifest summary: ${message}`,
      };
    }
  }
  if (pod.status?.phase === 'Failed') {
    return {
      state: 'failed',
      reason:
        message.trim() || `exit code ${status?.state?.terminated?.exitCode}`,
    };
  }
  const waiting = status?.state?.waiting;
  const unscheduled = pod.status?.conditions?.find(
    (c: any) => c.type === 'PodScheduled' && c.status === 'False',
  );
  return {
    state: 'waiting',
    reason: waiting
      ? `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`
      : unscheduled?.message ?? pod.status?.phase ?? 'Pending',
  };
}

export async function createPod(
  kubeConfig: KubeConfig,
  pod: ReturnType<typeof buildCopyPod>,
): Promise<void> {
  try {
    await requestJson(
      kubeConfig,
      `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods`,
      { method: 'POST', body: pod },
    );
  } catch (error: any) {
    if (error.statusCode !== 409) throw error;
  }
}
