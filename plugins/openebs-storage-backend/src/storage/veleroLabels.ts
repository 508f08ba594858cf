import { createHash } from 'crypto';

const DNS1035_LABEL_MAX_LENGTH = 63;
const HASH_LENGTH = 6;

/**
 * The value Velero writes into a label for a name (its `label.GetValidName`):
 * names over 63 characters keep their first 57 characters followed by the
 * first 6 hex digits of their SHA-256. Matching a long backup name against
 * `velero.io/backup-name` labels needs the same transformation.
 */
export function veleroLabelValue(name: string): string {
  if (name.length <= DNS1035_LABEL_MAX_LENGTH) {
    return name;
  }
  const digest = createHash('sha256').update(name).digest('hex');
  return (
    name.slice(0, DNS1035_LABEL_MAX_LENGTH - HASH_LENGTH) +
    digest.slice(0, HASH_LENGTH)
  );
}
