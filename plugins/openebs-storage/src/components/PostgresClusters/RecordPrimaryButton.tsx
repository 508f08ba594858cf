import Button from '@material-ui/core/Button';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { createFromTemplateRouteRef } from '../../routes';

/** The scaffolder template that records a hand-over in Git. */
export const CNPG_PRIMARY_TEMPLATE = 'openebs-cnpg-primary';

/**
 * "Record in Git…" for a CloudNativePG Cluster that leads another (after a
 * migration's switchover, or its rollback): opens the openebs-cnpg-primary
 * template with the pair filled in, so the manifests say what the live
 * Clusters do and Flux's next apply keeps it. The template itself refuses
 * while the live Clusters have not handed over. Nothing where the app has
 * no scaffolder.
 */
export function RecordPrimaryButton(props: {
  entityRef: string;
  cluster: string;
  namespace: string;
  primary: string;
  replica: string;
}) {
  const createFromTemplate = useRouteRef(createFromTemplateRouteRef);
  if (!createFromTemplate) return null;
  const formData = JSON.stringify(props);
  return (
    <Button
      size="small"
      color="primary"
      component={Link}
      title={`Write into the Clusters' manifests that ${props.primary} is primary and ${props.replica} follows it`}
      to={`${createFromTemplate({
        namespace: 'default',
        templateName: CNPG_PRIMARY_TEMPLATE,
      })}?${new URLSearchParams({ formData })}`}
    >
      Record in Git…
    </Button>
  );
}
