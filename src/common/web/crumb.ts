/** A breadcrumb (`partials/breadcrumbs`); the last one, the page itself, has no link. */
export interface Crumb {
  label: string;
  url?: string;
}
