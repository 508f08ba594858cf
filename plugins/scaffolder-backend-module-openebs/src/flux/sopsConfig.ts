import { stringify } from 'yaml';
import { KUBERNETES_SECRET_ENCRYPTED_REGEX } from '../sops/SopsYaml';
import { GeneratedFile } from './manifests';
import { PLATFORM_PATHS } from './platformSpec';

/**
 * The repository's .sops.yaml: every `*.sops.yaml` under kubernetes/ is
 * encrypted to `recipients`, only in data and stringData, so that Flux reads the
 * Secret's apiVersion, kind and metadata.
 */
export function sopsConfigFile(recipients: string[]): GeneratedFile {
  const config = {
    creation_rules: [
      {
        path_regex: 'kubernetes/.*\\.sops\\.ya?ml$',
        encrypted_regex: KUBERNETES_SECRET_ENCRYPTED_REGEX,
        age: recipients.join(','),
      },
    ],
  };
  return {
    path: PLATFORM_PATHS.sopsConfig,
    // A SOPS config, not a Kubernetes manifest: no yamlFile schema line.
    content: `---\n${stringify(config, { lineWidth: 0, singleQuote: true })}`,
  };
}
