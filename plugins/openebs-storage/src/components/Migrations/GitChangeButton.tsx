import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { VolumeMigration } from '@openebs-portal/plugin-openebs-storage-common';
import { createFromTemplateRouteRef } from '../../routes';

/** The scaffolder template that writes a migrated claim's class into Git. */
export const CLAIM_CLASS_TEMPLATE = 'openebs-claim-class';

/**
 * "Change in Git…": once the workload runs on the new volume, the claim's
 * manifest in the cluster repository still names the old class, and Flux's
 * next apply of it fails on the immutable field. Opens the claim-class
 * template with the claim, its class and its volume filled in, which
 * proposes the change as a pull request. Shown only when the app has the
 * scaffolder.
 */
export function GitChangeButton(props: { migration: VolumeMigration }) {
  const { migration } = props;
  const createFromTemplate = useRouteRef(createFromTemplateRouteRef);
  const onNewVolume =
    migration.state === 'awaiting-confirmation' ||
    migration.state === 'confirmed';
  if (!createFromTemplate || !onNewVolume || !migration.target) return null;
  const formData = {
    namespace: migration.namespace,
    claim: migration.claim,
    targetClass: migration.targetClass,
    volumeName: migration.target.name,
  };
  const page = createFromTemplate({
    namespace: 'default',
    templateName: CLAIM_CLASS_TEMPLATE,
  });
  const flux = fluxKustomizationOf(migration.claimLabels);
  return (
    <>
      <Button
        size="small"
        color={flux ? 'primary' : undefined}
        component={Link}
        to={`${page}?${new URLSearchParams({
          formData: JSON.stringify(formData),
        })}`}
      >
        Change in Git…
      </Button>
      {flux && (
        <Typography variant="caption" component="div" color="textSecondary">
          Flux's Kustomization {flux} applies this claim: its applies fail until
          the manifest names the new class and volume.
        </Typography>
      )}
    </>
  );
}

/**
 * The Kustomization that applied the claim, from the labels kustomize-
 * controller puts on what it applies (kept on the claim by the migration).
 */
function fluxKustomizationOf(
  labels: Record<string, string>,
): string | undefined {
  const name = labels['kustomize.toolkit.fluxcd.io/name'];
  const namespace = labels['kustomize.toolkit.fluxcd.io/namespace'];
  if (!name) return undefined;
  return namespace ? `${namespace}/${name}` : name;
}
