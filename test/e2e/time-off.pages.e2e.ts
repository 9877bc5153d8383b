import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TimeOff } from '../../src/scheduling/time-off.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, isFullPage, textsOf, type Html } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * A therapist's time off on the pages (`/therapists/:id/time-off`): a section their page loads, a page of its own
 * without JavaScript; time off that strands Scheduled sessions leads to its own page listing them to move.
 */
describe('time off pages (clinic in Berlin)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/Berlin' });
  });
  afterAll(() => t.close());

  const newTherapist = (data: Partial<Therapist> = {}): Promise<Therapist> =>
    createTherapist(t.em(), { name: 'Ines Wolf', ...data });
  const sectionOf = (therapist: Therapist): string => `/therapists/${therapist.id}/time-off`;
  const page = async (path: string): Promise<Html> => htmlOf(await t.http.get(path).expect(200));
  const flashOf = ($: Html): string[] => textsOf($, '#flash p');

  it("the therapist's page loads the section into a slot and links to it without JavaScript", async () => {
    const therapist = await newTherapist();
    const $ = await page(`/therapists/${therapist.id}`);
    const slot = $('#time-off');
    expect([slot.attr('hx-get'), slot.attr('hx-trigger'), slot.attr('hx-swap')]).toEqual([
      sectionOf(therapist),
      'load',
      'outerHTML',
    ]);
    expect(slot.find('a').attr('href')).toBe(sectionOf(therapist));

    const fragment = await t.http.get(sectionOf(therapist)).set(HTMX).expect(200);
    expect(isFullPage(fragment)).toBe(false);
    expect(fragment.text.trimStart()).toMatch(/^<section id="time-off" /);
    expect(htmlOf(fragment)('#time-off').text()).toContain('No upcoming time off');

    const full = await t.http.get(sectionOf(therapist)).expect(200);
    expect(isFullPage(full)).toBe(true);
    const $full = htmlOf(full);
    expect($full('title').text()).toMatch(/^Time off of Ines Wolf · /);
    expect($full('#time-off h2').text()).toContain('Europe/Berlin');
  });

  it('adds time off in the therapist’s zone, lists it, and removes it after the confirming submit', async () => {
    const therapist = await newTherapist({ timeZone: 'America/New_York' });
    const added = await t.http
      .post(sectionOf(therapist))
      .type('form')
      .send({ starts_at: '2031-08-04T09:00', ends_at: '2031-08-09T00:00', reason: 'Summer holiday' })
      .expect(303)
      .expect('Location', `/therapists/${therapist.id}#time-off`);
    expect(added.headers.location).toBeDefined();
    const [stored] = await t.em().find(TimeOff, { therapist });
    expect(stored?.startsAt.toISOString()).toBe('2031-08-04T13:00:00.000Z');
    expect(stored?.endsAt.toISOString()).toBe('2031-08-09T04:00:00.000Z');

    const $ = await page(sectionOf(therapist));
    expect(flashOf($)).toEqual([
      'Time off added: Mon, 4 Aug 2031, 09:00 – Sat, 9 Aug 2031, 00:00 (Summer holiday)',
    ]);
    const row = $('.time-off-table tbody tr');
    expect(row.length).toBe(1);
    expect(row.find('td').first().text()).toBe('Mon, 4 Aug 2031, 09:00 – Sat, 9 Aug 2031, 00:00');
    expect(row.find('td').eq(1).text()).toBe('Summer holiday');
    // The removal asks first: a disclosure whose form is the second, confirming submit.
    const confirm = row.find('details.confirm-remove');
    expect(confirm.find('summary').text()).toContain('Remove…');
    expect(confirm.find('form button').text()).toContain('Yes, remove');
    const action = String(confirm.find('form').attr('action'));
    expect(action).toBe(`${sectionOf(therapist)}/${stored?.id}/delete`);

    await t.http
      .post(action)
      .type('form')
      .send({})
      .expect(303)
      .expect('Location', `/therapists/${therapist.id}#time-off`);
    expect(await t.em().count(TimeOff, { therapist })).toBe(0);
    await t.http.post(action).type('form').send({}).expect(404);
  });

  it('shows errors next to their fields and keeps the input', async () => {
    const therapist = await newTherapist();
    const response = await t.http
      .post(sectionOf(therapist))
      .type('form')
      .send({ starts_at: '2031-08-04T09:00', ends_at: '2031-08-04T08:00', reason: '' })
      .expect(400);
    expect(isFullPage(response)).toBe(true);
    const $ = htmlOf(response);
    expect($('#reason-error').text()).toBe('Reason must be between 1 and 200 characters');
    expect($('input[name=starts_at]').val()).toBe('2031-08-04T09:00');
    expect($('input[name=ends_at]').val()).toBe('2031-08-04T08:00');

    const backwards = htmlOf(
      await t.http
        .post(sectionOf(therapist))
        .type('form')
        .send({ starts_at: '2031-08-04T09:00', ends_at: '2031-08-04T08:00', reason: 'Dentist' })
        .expect(400),
    );
    expect(backwards('#ends_at-error').text()).toBe('End must be after start');
    expect(backwards('input[name=ends_at]').attr('aria-describedby')).toBe('ends_at-error');

    const missing = htmlOf(
      await t.http
        .post(sectionOf(therapist))
        .type('form')
        .send({ starts_at: '', ends_at: 'x', reason: 'x' })
        .expect(400),
    );
    expect(missing('#starts_at-error').text()).toBe('Enter a date and time');
    // 02:30 on 30 March 2031 does not exist in Berlin: the clocks go forward.
    const skipped = htmlOf(
      await t.http
        .post(sectionOf(therapist))
        .type('form')
        .send({ starts_at: '2031-03-30T02:30', ends_at: '2031-03-30T08:00', reason: 'x' })
        .expect(400),
    );
    expect(skipped('#starts_at-error').text()).toContain('does not exist in Europe/Berlin');
    expect(await t.em().count(TimeOff, { therapist })).toBe(0);
  });

  it('refuses time off overlapping other time off, next to the start', async () => {
    const therapist = await newTherapist();
    const leave = { starts_at: '2031-09-01T00:00', ends_at: '2031-09-05T00:00', reason: 'Holiday' };
    await t.http.post(sectionOf(therapist)).type('form').send(leave).expect(303);
    const $ = htmlOf(await t.http.post(sectionOf(therapist)).type('form').send(leave).expect(409));
    expect($('#starts_at-error').text()).toBe('overlaps other time off of the therapist');
    expect($('input[name=reason]').val()).toBe('Holiday');
  });

  it('time off that strands Scheduled sessions leads to its page, listing each with a reschedule link', async () => {
    const therapist = await newTherapist({ name: 'Karl Brandt' });
    const patient = await createPatient(t.em(), { name: 'Stranded Sam' });
    const inside = await createSession(t.em(), {
      therapist,
      patient,
      startsAt: new Date('2031-10-07T08:00:00Z'),
    });
    await createSession(t.em(), { therapist, patient, startsAt: new Date('2031-10-20T08:00:00Z') });

    const response = await t.http
      .post(sectionOf(therapist))
      .type('form')
      .send({ starts_at: '2031-10-06T00:00', ends_at: '2031-10-11T00:00', reason: 'Conference' })
      .expect(303);
    const [stored] = await t.em().find(TimeOff, { therapist });
    const entry = `${sectionOf(therapist)}/${stored?.id}`;
    expect(response.headers.location).toBe(entry);

    const $ = await page(entry);
    expect(flashOf($)[0]).toBe(
      'Time off added: Mon, 6 Oct 2031, 00:00 – Sat, 11 Oct 2031, 00:00 (Conference). 1 Scheduled session is ' +
        "outside the therapist's hours, time off or a closure: reschedule it below.",
    );
    expect($('h1').text()).toBe('Time off: Conference');
    const items = $('.stranded-list li');
    expect(items.length).toBe(1);
    expect(items.text().replace(/\s+/g, ' ')).toContain(
      'Tue 7 Oct, 10:00–10:50 Stranded Sam with Karl Brandt',
    );
    expect(items.text()).toContain('the therapist is away (Conference)');
    expect(items.find('a').attr('href')).toBe(`/sessions/${inside.id}`);
    expect(items.find('a').text()).toContain('Reschedule');
    expect($('details.confirm-remove form').attr('action')).toBe(`${entry}/delete`);

    // A therapist sees a link to open the session: moving it is the desk's.
    const own = await t.signIn('therapist', { therapistId: therapist.id });
    const theirs = htmlOf(await own.get(entry).expect(200));
    expect(theirs('.stranded-list a').text()).toContain('Open');
  });

  it('another therapist finds neither the section nor an entry (404); an unknown entry is 404', async () => {
    const therapist = await newTherapist();
    const other = await newTherapist();
    await t.http
      .post(sectionOf(therapist))
      .type('form')
      .send({ starts_at: '2031-11-03T00:00', ends_at: '2031-11-04T00:00', reason: 'Sick day' })
      .expect(303);
    const [stored] = await t.em().find(TimeOff, { therapist });
    const stranger = await t.signIn('therapist', { therapistId: other.id });
    await stranger.get(sectionOf(therapist)).expect(404);
    await stranger.get(`${sectionOf(therapist)}/${stored?.id}`).expect(404);
    await t.http.get(`${sectionOf(other)}/${stored?.id}`).expect(404);
    await t.http.get(`${sectionOf(therapist)}/999999`).expect(404);
  });
});
