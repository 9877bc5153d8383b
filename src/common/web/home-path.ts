/** Where the app opens and a sign-in lands when nothing else was asked for: today's day sheet. */
export const HOME_PATH = '/day';
