import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Temporal } from 'temporal-polyfill';
import { Session } from '../../src/sessions/session.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, textsOf, type Html } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const ZONE = 'Europe/Berlin';
const today = Temporal.Now.plainDateISO(ZONE);
const TODAY = today.toString();
const monday = today.subtract({ days: today.dayOfWeek - 1 });
const sunday = monday.add({ days: 6 });
/** Each session's patient is named after its day, so a list reads as the days it shows. */
const DAYS: [string, Temporal.PlainDate][] = [
  ['Ten Days Ago', today.subtract({ days: 10 })],
  ['Yesterday', today.subtract({ days: 1 })],
  ['Today', today],
  ['Tomorrow', today.add({ days: 1 })],
  ['In Twenty Days', today.add({ days: 20 })],
];
const inWeek = ([, day]: [string, Temporal.PlainDate]): boolean =>
  Temporal.PlainDate.compare(day, monday) >= 0 && Temporal.PlainDate.compare(day, sunday) <= 0;

let t: TestApp;

const patientsListed = ($: Html): string[] => textsOf($, 'tbody td[data-label=Patient]');
const currentPreset = ($: Html): string[] => textsOf($, 'nav.list-presets a[aria-current=true]');
const presetUrl = ($: Html, label: string): string =>
  $('nav.list-presets a')
    .filter((_, link) => $(link).text() === label)
    .attr('href') ?? '';

describe('sessions list presets', () => {
  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: ZONE });
    const em = t.em();
    const therapist = await createTherapist(em, { name: 'Maya Chen' });
    for (const [name, day] of DAYS) {
      const startsAt = new Date(
        day.toZonedDateTime({ timeZone: ZONE, plainTime: '12:00' }).epochMilliseconds,
      );
      await createSession(em, { therapist, patient: await createPatient(em, { name }), startsAt });
    }
  });
  afterAll(() => t.close());

  it('opens on the upcoming sessions, from today in the clinic zone, soonest first', async () => {
    const $ = htmlOf(await t.http.get('/sessions').expect(200));
    expect(patientsListed($)).toEqual(['Today', 'Tomorrow', 'In Twenty Days']);
    expect(currentPreset($)).toEqual(['Upcoming']);
    expect(textsOf($, 'nav.list-presets a')).toEqual(['Today', 'This week', 'Upcoming', 'Past']);
    expect($('form#filters input[name=from]').val()).toBe(today.toString());
  });

  it('leaves the API on its documented default: every session, oldest first', async () => {
    const response = await t.http.get('/api/sessions').expect(200);
    const names = (response.body as { data: { patient: { name: string } }[] }).data.map(
      (s) => s.patient.name,
    );
    expect(names).toEqual(DAYS.map(([name]) => name));
  });

  it.each([
    ['Today', ['Today']],
    ['This week', DAYS.filter(inWeek).map(([name]) => name)],
    ['Upcoming', ['Today', 'Tomorrow', 'In Twenty Days']],
    ['Past', ['Yesterday', 'Ten Days Ago']],
  ])('links %s, which shows its sessions and is marked current', async (label, expected) => {
    const opening = htmlOf(await t.http.get('/sessions').expect(200));
    const $ = htmlOf(await t.http.get(presetUrl(opening, label)).expect(200));
    expect(patientsListed($)).toEqual(expected);
    expect(currentPreset($)).toEqual([label]);
  });

  it('sits in the page heading once; an htmx answer brings it out of band, marked for the new dates', async () => {
    const page = htmlOf(await t.http.get('/sessions').expect(200));
    expect(page('nav#list-presets').length).toBe(1);
    expect(page('.page-heading nav#list-presets').attr('hx-swap-oob')).toBeUndefined();
    const fragment = htmlOf(await t.http.get(`/sessions?from=&to=${TODAY}`).set(HTMX).expect(200));
    expect(fragment('nav#list-presets').attr('hx-swap-oob')).toBe('true');
    expect(currentPreset(fragment)).toEqual([]);
  });

  it('keeps the other filters in the preset links and starts them on their first page', async () => {
    const $ = htmlOf(await t.http.get('/sessions?q=to&from=&page_size=10&page=2').expect(200));
    expect(currentPreset($)).toEqual([]);
    expect(presetUrl($, 'Today')).toBe(`/sessions?q=to&from=${TODAY}&to=${TODAY}&page_size=10`);
    expect(presetUrl($, 'Past')).toBe(
      `/sessions?q=to&to=${today.subtract({ days: 1 }).toString()}&order=desc&page_size=10`,
    );
  });

  it('shows every date once the user empties From, and sorts and pages the preset it is on', async () => {
    const all = htmlOf(await t.http.get('/sessions?from=').expect(200));
    expect(patientsListed(all)).toEqual(DAYS.map(([name]) => name));
    const $ = htmlOf(await t.http.get(`/sessions?from=${TODAY}&order=desc&page_size=1`).expect(200));
    expect(patientsListed($)).toEqual(['In Twenty Days']);
    expect(currentPreset($)).toEqual(['Upcoming']);
    expect($('a[rel=next]').attr('href')).toBe(`/sessions?from=${TODAY}&order=desc&page=2&page_size=1`);
  });

  it('offers to clear the filters when more than a preset narrows an empty list', async () => {
    const $ = htmlOf(await t.http.get(`/sessions?from=${today.add({ days: 21 }).toString()}`).expect(200));
    expect(textsOf($, '.empty-state p')).toEqual(['No sessions match these filters.', 'Clear filters']);
    const past = htmlOf(
      await t.http.get(`/sessions?to=${today.subtract({ days: 1 }).toString()}&status=No-Show`).expect(200),
    );
    expect(currentPreset(past)).toEqual(['Past']);
    expect(textsOf(past, '.empty-state p')[0]).toBe('No sessions match these filters.');
  });

  // Last: it removes today's session.
  it('says "No sessions today." when only the preset narrows an empty list', async () => {
    await t.em().nativeDelete(Session, { patient: { name: 'Today' } });
    const $ = htmlOf(await t.http.get(`/sessions?from=${TODAY}&to=${TODAY}`).expect(200));
    expect(textsOf($, '.empty-state p')).toEqual(['No sessions today. Book a session.']);
  });
});
