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
  };
}
