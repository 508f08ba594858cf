import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CheckContext, checkSopsConfig, kindChecker } from './kindCheckers';

/** One broken rule: the file, the field in it, and what is wrong. */
export type Problem = { file: string; field: string; message: string };

export type ManifestFile = { path: string; content: string };

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.field}: ${p.message}`;
}

export type ValidatorOptions = {
  /**
   * Let Velero Schedule objects (a workload's own) use another cron and TTL;
   * the platform's schedules must still be the plan's.
   */
  allowCustomWorkloadSchedules?: boolean;
  /**
   * Paths the target branch holds though the workspace does not (the
   * entries of the kustomizations read from it): a kustomization that lists
   * them is not missing anything.
   */
  onBranch?: string[];
};

type Doc = { file: string; obj: any };

/**
 * Checks generated manifests against strict schemas for the kinds we write
 * and against the plan's rules. Every problem names its file and field.
 */
export class ManifestValidator {
  constructor(private readonly options: ValidatorOptions = {}) {}

  validate(files: ManifestFile[]): Problem[] {
    const problems: Problem[] = [];
    const docs = parseDocuments(files, problems);
    const tree = {
      allowCustomWorkloadSchedules: Boolean(
        this.options.allowCustomWorkloadSchedules,
      ),
      paths: new Set(
        [...files.map(f => f.path), ...(this.options.onBranch ?? [])].map(p =>
          posix.normalize(p),
        ),
      ),
      ociSources: new Map<string, string>(),
      storageClasses: { defined: 0, defaults: [] as string[] },
    };
    for (const { obj } of docs) {
      if (obj?.kind === 'OCIRepository') {
        tree.ociSources.set(obj.metadata?.name, String(obj.spec?.url ?? ''));
      }
    }

    for (const { file, obj } of docs) {
      const ctx: CheckContext = {
        ...tree,
        file,
        report: (field, message) => problems.push({ file, field, message }),
      };
      const base = posix.basename(file);
      if (base === '.sops.yaml') {
        checkSopsConfig(obj, ctx);
        continue;
      }
      // A Backstage entity, not applied to the cluster.
      if (base === 'catalog-info.yaml') continue;
      // kustomize reads a kustomization.yaml without apiVersion and kind
      // (repositories often write them so): checked as the Kustomization it is.
      if (base === 'kustomization.yaml' && typeof obj === 'object' && obj) {
        kindChecker(
          obj.apiVersion ?? 'kustomize.config.k8s.io/v1beta1',
          obj.kind ?? 'Kustomization',
        )?.(obj, ctx);
        continue;
      }
      if (
        typeof obj !== 'object' ||
        typeof obj.apiVersion !== 'string' ||
        typeof obj.kind !== 'string'
      ) {
        ctx.report(
          'apiVersion/kind',
          'every manifest needs apiVersion and kind',
        );
        continue;
      }
      kindChecker(obj.apiVersion, obj.kind)?.(obj, ctx);
    }

    const { defined, defaults } = tree.storageClasses;
    if (defined > 0 && defaults.length !== 1) {
      problems.push({
        file: '<all files>',
        field: 'StorageClass default',
        message: `exactly one default StorageClass is required (AC-001-04), found ${
          defaults.length
        }${defaults.length ? `: ${defaults.join(', ')}` : ''}`,
      });
    }
    return problems;
  }
}

/** The YAML documents of the files, empty ones left out; invalid YAML is a problem. */
function parseDocuments(files: ManifestFile[], problems: Problem[]): Doc[] {
  const docs: Doc[] = [];
  for (const f of files) {
    if (!/\.ya?ml$/.test(f.path)) continue;
    const parsed = parseAllDocuments(f.content);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    list.forEach((d, index) => {
      if (d.errors.length) {
        problems.push({
          file: f.path,
          field: `document ${index + 1}`,
          message: `invalid YAML: ${d.errors[0].message}`,
        });
        return;
      }
      const obj = d.toJS();
      if (obj === null || obj === undefined) return;
      docs.push({ file: f.path, obj });
    });
  }
  return docs;
}
