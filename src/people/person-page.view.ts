import type { Crumb } from '../common/web/crumb.js';
import type { DirectoryView } from './person-list.view.js';

/** What every person's page shows besides the feature's own details: heading, edit and booking links. */
export interface PersonSummaryView {
  id: number;
  url: string;
  editUrl: string;
  name: string;
}

/**
 * The person's sessions are the sessions module's to show (people never depend on sessions): the page loads
 * them from this URL once it is shown, and links to it for browsers without JavaScript.
 */
export interface PersonSessionsLinkView {
  url: string;
  label: string;
}

export interface PersonPageView<View extends PersonSummaryView> {
  title: string;
  nav: Record<string, boolean>;
  directory: DirectoryView;
  breadcrumbs: Crumb[];
  person: View;
  /** The feature's part of the page, e.g. `therapists/_details`. */
  details: string;
  sessions: PersonSessionsLinkView;
}

export const toPersonPageView = <View extends PersonSummaryView>(
  directory: DirectoryView,
  nav: Record<string, boolean>,
  person: View,
  details: string,
): PersonPageView<View> => ({
  title: person.name,
  nav,
  directory,
  breadcrumbs: [{ label: directory.title, url: directory.path }, { label: person.name }],
  person,
  details,
  sessions: { url: `${person.url}/sessions`, label: `Sessions of ${person.name}` },
});

export const personUrls = (directory: DirectoryView, id: number): { url: string; editUrl: string } => ({
  url: `${directory.path}/${id}`,
  editUrl: `${directory.path}/${id}/edit`,
});
