import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Session } from '../../src/sessions/session.entity.js';
import { PERSON_KINDS, type PersonRecord } from '../utils/people.js';
import { hrefOf, htmlText, isFullPage, sessionIdsIn, sessionSection, varyOf } from '../utils/person-pages.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const DAY = 24 * 60 * 60 * 1000;
const HTMX = { 'HX-Request': 'true' };

// A therapist's or patient's page, and their sessions, which the sessions pages serve and the person's page loads.
describe("a person's page and sessions", () => {
  const idsOf = (records: { id: number }[]): number[] => records.map((record) => record.id);
  const today = (): string => new Date().toISOString().slice(0, 10);

  describe.each(PERSON_KINDS)('%s', (plural, kind) => {
    let t: TestApp;
    const { path, noun } = kind;
    const other = kind.other();
    const Plural = `${plural.charAt(0).toUpperCase()}${plural.slice(1)}`;
    // Twelve sessions to come and three past, out of order; `pastful` the other way round.
    let sessionful: PersonRecord;
    let pastful: PersonRecord;
    let lonely: PersonRecord;
    let partner: PersonRecord;
    let upcoming: Session[];
    let past: Session[];
    let pastfulUpcoming: Session[];
    let pastfulPast: Session[];

    beforeAll(async () => {
      t = await createTestApp();
      const em = t.em();
      sessionful = await kind.create(em, { name: 'Sessionful Person' });
      pastful = await kind.create(em, { name: 'Pastful Person' });
      lonely = await kind.create(em, { name: 'Lonely Person' });
      partner = await other.create(em, { name: 'Partner Person' });
      // Each with a partner of their own: one person cannot have two sessions at once.
      const pastPartner = await other.create(em, { name: 'Past Partner' });
      const now = Date.now();
      const book = (person: PersonRecord, days: number): Promise<Session> =>
        kind.book(em, person, person === pastful ? pastPartner : partner, new Date(now + days * DAY));
      upcoming = [];
      past = [];
      for (const days of [12, 3, 7, 1, 9, 2, 11, 5, 4, 10, 6, 8]) upcoming.push(await book(sessionful, days));
      for (const days of [20, 2, 9]) past.push(await book(sessionful, -days));
      pastfulUpcoming = [];
      pastfulPast = [];
      for (const days of [3, 1, 2]) pastfulUpcoming.push(await book(pastful, days));
      for (const days of [12, 3, 7, 1, 9, 2, 11, 5, 4, 10, 6, 8])
        pastfulPast.push(await book(pastful, -days));
    });
    afterAll(() => t.close());

    const sessionsOf = async (person: PersonRecord, htmx = false): Promise<string> => {
      const request = t.http.get(`${path}/${person.id}/sessions`);
      return htmlText(await (htmx ? request.set(HTMX) : request).expect(200));
    };

    describe(`GET ${path}/:id and its sessions`, () => {
      it('loads the sessions from the sessions pages, with a link to them without JavaScript', async () => {
        const html = htmlText(await t.http.get(`${path}/${sessionful.id}`).expect(200));
        expect(html).toContain(
          `<div id="person-sessions" hx-get="${path}/${sessionful.id}/sessions" hx-trigger="load" hx-swap="outerHTML">`,
        );
        expect(hrefOf(html, 'Sessions of Sessionful Person')).toBe(`${path}/${sessionful.id}/sessions`);
      });

      it('answers the sessions as a fragment for htmx and as a page of their own otherwise', async () => {
        const fragment = await t.http.get(`${path}/${sessionful.id}/sessions`).set(HTMX).expect(200);
        expect(isFullPage(htmlText(fragment))).toBe(false);
        expect(fragment.text.trimStart()).toMatch(/^<div id="person-sessions">/);
        expect(varyOf(fragment)).toContain('hx-request');
        const page = await sessionsOf(sessionful);
        expect(isFullPage(page)).toBe(true);
        expect(page).toContain('<title>Sessions of Sessionful Person · ');
        expect(page).toContain(`<a href="${path}" aria-current="page">${Plural}</a>`);
        expect(hrefOf(page, 'Sessionful Person')).toBe(`${path}/${sessionful.id}`);
        expect(sessionSection(page, 'upcoming')).toContain('The next 10 of 12');
      });

      it('lists the next ten sessions, soonest first, with whom, and links to all of them', async () => {
        const section = sessionSection(await sessionsOf(sessionful, true), 'upcoming');
        const soonestFirst = [...upcoming].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
        expect(sessionIdsIn(section)).toEqual(idsOf(soonestFirst.slice(0, 10)));
        expect(section).toContain('The next 10 of 12');
        expect(section).toContain(`<a href="${other.path}/${partner.id}">Partner Person</a>`);
        expect(section).toContain("<span class='badge badge-scheduled'>Scheduled</span>");
        expect(hrefOf(section, 'All sessions from today on')).toBe(
          `/sessions?${noun}_id=${sessionful.id}&from=${today()}`,
        );
        const few = sessionSection(await sessionsOf(pastful), 'upcoming');
        const fewSoonestFirst = [...pastfulUpcoming].sort(
          (a, b) => a.startsAt.getTime() - b.startsAt.getTime(),
        );
        expect(sessionIdsIn(few)).toEqual(idsOf(fewSoonestFirst));
        expect(few).not.toContain('The next');
      });

      it('lists the latest ten past sessions, latest first, and links to all of them', async () => {
        const section = sessionSection(await sessionsOf(sessionful, true), 'past');
        const latestFirst = [...past].sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
        expect(sessionIdsIn(section)).toEqual(idsOf(latestFirst));
        expect(section).not.toContain('The latest');
        expect(hrefOf(section, 'All sessions up to today, latest first')).toBe(
          `/sessions?${noun}_id=${sessionful.id}&to=${today()}&order=desc`,
        );
        const many = sessionSection(await sessionsOf(pastful), 'past');
        const manyLatestFirst = [...pastfulPast].sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
        expect(sessionIdsIn(many)).toEqual(idsOf(manyLatestFirst.slice(0, 10)));
        expect(many).toContain('The latest 10 of 12');
        expect(hrefOf(many, 'All sessions up to today, latest first')).toBe(
          `/sessions?${noun}_id=${pastful.id}&to=${today()}&order=desc`,
        );
      });

      it('says so when a person has no sessions', async () => {
        const html = await sessionsOf(lonely);
        expect(sessionSection(html, 'upcoming')).toContain('No upcoming sessions.');
        expect(sessionSection(html, 'past')).toContain('No past sessions.');
      });

      it.each(['', '/edit', '/sessions'])(
        'answers an unknown id (…/2147483000%s) with a 404 page',
        async (tail) => {
          const response = await t.http.get(`${path}/2147483000${tail}`).expect(404);
          const html = htmlText(response);
          expect(isFullPage(html)).toBe(true);
          expect(html).toContain(`${kind.Noun} 2147483000 does not exist.`);
        },
      );

      it('answers a malformed id with a 400 page', async () => {
        const html = htmlText(await t.http.get(`${path}/abc`).expect(400));
        expect(html).toContain('id must be a positive integer id');
      });
    });
  });
});
