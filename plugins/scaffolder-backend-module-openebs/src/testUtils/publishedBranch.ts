import { decryptYamlDocument } from '../sops/SopsYaml';
import {
  formatProblem,
  ManifestValidator,
} from '../validate/ManifestValidator';

/**
 * The problems the validator finds in the files, each as
 * `file: field: problem`; none means they pass.
 *
 * @public
 */
export function validateManifests(
  files: { path: string; content: string }[],
  options: { allowCustomWorkloadSchedules?: boolean } = {},
): string[] {
  return new ManifestValidator(options).validate(files).map(formatProblem);
}

/**
 * A SOPS-encrypted YAML file decrypted with age identities
 * (`AGE-SECRET-KEY-1...`), as plain data; throws when none of them is a
 * recipient or the file was tampered with (MAC mismatch).
 *
 * @public
 */
export async function decryptSopsYaml(
  text: string,
  identities: string[],
): Promise<any> {
  return (await decryptYamlDocument(text, identities)).toJS();
}
