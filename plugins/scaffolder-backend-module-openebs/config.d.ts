export interface Config {
  /** Settings of the OpenEBS scaffolder actions. */
  openebsScaffolder?: {
    /**
     * age recipients (public keys, `age1...`) that openebs:sops:encrypt and
     * openebs:flux:platform use when a template passes none: the cluster's
     * key (Flux's sops-age Secret) and the platform admins'.
     * @visibility backend
     */
    sopsAgeRecipients?: string[];
    /**
     * The Git hosts the OpenEBS templates offer for their pull requests
     * (each needs an integration): replaces the RepoUrlPicker's allowedHosts
     * of every template annotated `openebs-portal.dev/allowed-hosts: config`.
     * Unset, the templates keep their own list (github.com).
     * @visibility backend
     */
    allowedHosts?: string[];
  };
}
