/** How the bindings answer the errors they detect themselves. */
export interface BindingErrorSettings {
  /** Answer with 403 whatever the error, like the interactors' option of the same name. */
  legacyForbiddenErrors?: boolean;
}
