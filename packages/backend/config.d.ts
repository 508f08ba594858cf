export interface Config {
  /** The example portal's own settings. */
  portal?: {
    /**
     * Users and groups (entity refs) who are platform admins for the
     * example permission policy: they may restore in place and cancel
     * restores. Default: group:default/platform-admins.
     */
    platformAdmins?: string[];
  };
}
