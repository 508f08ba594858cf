import { parseDocument, stringify } from 'yaml';
import { repositoryRecipients } from '../sops/sopsRules';
import { KUBERNETES_SECRET_ENCRYPTED_REGEX } from '../sops/SopsYaml';
import { GeneratedFile } from './manifests';
import { PLATFORM_PATHS } from './platformSpec';

/**
 * The repository's .sops.yaml. An existing one is kept whole: a rule that
 * already covers the platform's secrets stays as it is (openebs:sops:encrypt
 * encrypts for its recipients too); otherwise the platform's rule is
 * appended, after the others, so that SOPS's first match keeps every path
 * the repository already covers as it was.
 *
 * New: every `*.sops.yaml` under kubernetes/ is
 * encrypted to `recipients`, only in data and stringData, so that Flux reads the
 * Secret's apiVersion, kind and metadata.
 */
export function sopsConfigFile(
  recipients: string[],
  existing?: { text: string; secretPath: string },
): GeneratedFile {
  const rule = {
    path_regex: 'kubernetes/.*\\.sops\\.ya?ml$',
    encrypted_regex: KUBERNETES_SECRET_ENCRYPTED_REGEX,
    age: recipients.join(','),
  };
  return {
    path: PLATFORM_PATHS.sopsConfig,
    // A SOPS config, not a Kubernetes manifest: no yamlFile schema line.
    content:
      existing === undefined
        ? `---\n${stringify(
            { creation_rules: [rule] },
            { lineWidth: 0, singleQuote: true },
          )}`
        : withRule(existing.text, existing.secretPath, rule),
  };
}

function withRule(
  existing: string,
  secretPath: string,
  rule: Record<string, string>,
): string {
  if (repositoryRecipients(existing, secretPath).length) {
    return existing;
  }
  const doc = parseDocument(existing);
  if (!doc.has('creation_rules')) doc.set('creation_rules', doc.createNode([]));
  (doc.get('creation_rules') as any).add(doc.createNode(rule));
  const out = doc.toString({ lineWidth: 0, singleQuote: true });
  return out.startsWith('---') ? out : `---\n${out}`;
}
