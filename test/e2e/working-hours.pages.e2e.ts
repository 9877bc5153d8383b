import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { WorkingHours } from '../../src/scheduling/working-hours.entity.js';
import { SessionEvent } from '../../src/sessions/session-event.entity.js';
import { SessionStatus } from '../../src/sessions/session-status.js';
import { Session } from '../../src/sessions/session.entity.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { HTMX, htmlOf, isFullPage, textsOf, type Html } from '../utils/html.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * A therapist's working hours are the scheduling pages' (`/therapists/:id/working-hours`): the therapist's page
 * only holds a slot that loads them (htmx) and links to them without JavaScript.
 */
describe('working hours of a therapist, and their page (clinic in London)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CLINIC_TIMEZONE: 'Europe/London' });
  });
  afterAll(() => t.close());

  /** Each test changes its own therapist (hours, time zone), so none sees another's changes. */
  const newTherapist = (): Promise<Therapist> => createTherapist(t.em(), { name: 'Omar Haddad' });
  const hoursOf = (therapist: Therapist): string => `/therapists/${therapist.id}/working-hours`;
  const hoursPage = async (therapist: Therapist): Promise<Html> =>
    htmlOf(await t.http.get(hoursOf(therapist)).expect(200));
  const varyOf = (response: Response): string => String(response.headers.vary).toLowerCase();

  it('saving notes on the edit form keeps a start in the repeated hour when clocks go back, and one with seconds', async () => {
    const therapist = await newTherapist();
    const patient = await createPatient(t.em());
    // 01:30 GMT on 31 October 2027 is the second 01:30 in London that night; the form shows it as 01:30.
    const ambiguous = await createSession(t.em(), {
      therapist,
      patient,
      startsAt: new Date('2027-10-31T01:30:00Z'),
    });
    const withSeconds = await createSession(t.em(), {
      therapist,
      patient,
      startsAt: new Date('2020-01-06T09:00:30Z'),
      status: SessionStatus.Completed,
    });
    for (const [session, shown] of [
      [ambiguous, '2027-10-31T01:30'],
      [withSeconds, '2020-01-06T09:00'],
    ] as const) {
      const page = htmlOf(await t.http.get(`/sessions/${session.id}`).expect(200));
      expect(page('#edit-session-form input[name=date]').val()).toBe(shown);
      await t.http
        .post(`/sessions/${session.id}`)
        .type('form')
        .send({ date: shown, duration_minutes: '50', notes: 'only a note', version: String(session.version) })
        .expect(303);
      const stored = await t.em().findOneOrFail(Session, session.id);
      expect(stored.startsAt.toISOString()).toBe(session.startsAt.toISOString());
      expect(stored.notes).toBe('only a note');
      const events = await t.em().find(SessionEvent, { session: session.id });
      expect(events.map((event) => event.type)).not.toContain('rescheduled');
    }
  });

  it("the therapist's page loads the hours into a slot, links to them without JavaScript, and names the zone", async () => {
    const therapist = await newTherapist();
    const $ = htmlOf(await t.http.get(`/therapists/${therapist.id}`).expect(200));
    const slot = $('#working-hours');
    expect(slot.length).toBe(1);
    expect(slot.is('div')).toBe(true);
    expect([slot.attr('hx-get'), slot.attr('hx-trigger'), slot.attr('hx-swap')]).toEqual([
      hoursOf(therapist),
      'load',
      'outerHTML',
    ]);
    expect(slot.find('a').attr('href')).toBe(hoursOf(therapist));
    expect(slot.find('a').text()).toBe('Working hours');
    expect($('.working-hours-table, #working-hours-form').length).toBe(0);
    expect($('.person-summary').text()).toContain("The clinic's (Europe/London)");
  });

  it("answers the section as a fragment for htmx, and as a page under the therapist's name otherwise", async () => {
    const therapist = await newTherapist();
    const fragment = await t.http.get(hoursOf(therapist)).set(HTMX).expect(200);
    expect(isFullPage(fragment)).toBe(false);
    expect(fragment.text.trimStart()).toMatch(/^<section id="working-hours" /);
    expect(varyOf(fragment)).toContain('hx-request');
    expect(htmlOf(fragment)('#working-hours-form').attr('action')).toBe(hoursOf(therapist));

    const response = await t.http.get(hoursOf(therapist)).expect(200);
    expect(isFullPage(response)).toBe(true);
    expect(varyOf(response)).toContain('hx-request');
    const page = htmlOf(response);
    expect(page('title').text()).toMatch(/^Working hours of Omar Haddad · /);
    expect(page('h1').text()).toBe('Omar Haddad');
    expect(page('nav[aria-label=Breadcrumb] a').last().attr('href')).toBe(`/therapists/${therapist.id}`);
    expect(page('nav[aria-label=Main] a[aria-current=page]').text()).toBe('Therapists');
    expect(page('#working-hours-form').attr('action')).toBe(hoursOf(therapist));
  });

  it('answers 404 for a therapist or an interval that does not exist, 400 for an id that is not one', async () => {
    const therapist = await newTherapist();
    expect(htmlOf(await t.http.get('/therapists/999999/working-hours').expect(404))('h1').text()).not.toBe(
      '',
    );
    await t.http
      .post('/therapists/999999/working-hours')
      .type('form')
      .send({ weekday: '1', start: '09:00', end: '10:00' })
      .expect(404);
    await t.http
      .post(`${hoursOf(therapist)}/999999/delete`)
      .type('form')
      .send({})
      .expect(404);
    await t.http.get('/therapists/abc/working-hours').expect(400);
  });

  it('says there are none, then adds, shows and removes an interval', async () => {
    const therapist = await newTherapist();
    const empty = await hoursPage(therapist);
    expect(empty('#working-hours').text()).toContain('No working hours set');
    expect(empty('#working-hours h2').text()).toContain('Europe/London');

    await t.http
      .post(`/therapists/${therapist.id}/working-hours`)
      .type('form')
      .send({ weekday: '3', start: '09:30', end: '13:00' })
      .expect(303)
      .expect('Location', `/therapists/${therapist.id}#working-hours`);
    const shown = await hoursPage(therapist);
    const wednesday = shown('.working-hours-table tr').filter(
      (_, row) => shown(row).find('th').text() === 'Wednesday',
    );
    expect(wednesday.find('.interval-label').text()).toBe('09:30–13:00');

    // Removing asks first: the disclosure holds the second, confirming submit.
    const confirm = wednesday.find('details.confirm-remove');
    expect(confirm.find('summary').text()).toContain('Remove…');
    expect(confirm.find('form button').text()).toBe('Yes, remove Wednesday 09:30–13:00');
    const action = String(confirm.find('form').attr('action'));
    await t.http
      .post(action)
      .type('form')
      .send({})
      .expect(303)
      .expect('Location', `/therapists/${therapist.id}#working-hours`);
    expect(await t.em().count(WorkingHours, { therapist })).toBe(0);
  });

  it('answers htmx posts with a full navigation (HX-Redirect) to the section, or the section with the problem', async () => {
    const therapist = await newTherapist();
    const added = await t.http
      .post(hoursOf(therapist))
      .set(HTMX)
      .type('form')
      .send({ weekday: '2', start: '08:00', end: '12:00' })
      .expect(200);
    expect(added.headers['hx-redirect']).toBe(`/therapists/${therapist.id}#working-hours`);
    expect(await t.em().count(WorkingHours, { therapist })).toBe(1);

    const refused = await t.http
      .post(hoursOf(therapist))
      .set(HTMX)
      .type('form')
      .send({ weekday: '2', start: '12:00', end: '11:00' })
      .expect(400);
    expect(isFullPage(refused)).toBe(false);
    const $ = htmlOf(refused);
    expect($('#end-error').text()).toBe('To must be after start');
    expect($('#working-hours-form input[name=end]').val()).toBe('11:00');
    expect(await t.em().count(WorkingHours, { therapist })).toBe(1);
  });

  it('an end of 00:00 on the form is midnight at the end of the day (a time field cannot say 24:00)', async () => {
    const nightOwl = await createTherapist(t.em());
    await t.http
      .post(`/therapists/${nightOwl.id}/working-hours`)
      .type('form')
      .send({ weekday: '5', start: '22:00', end: '00:00' })
      .expect(303);
    const [interval] = await t.em().find(WorkingHours, { therapist: nightOwl });
    expect(interval).toMatchObject({ weekday: 5, startMinute: 22 * 60, endMinute: 24 * 60 });
    const shown = await hoursPage(nightOwl);
    expect(shown('.working-hours-table .interval-label').text()).toBe('22:00–24:00');
    // Its edit form shows the end as a time field can: 00:00.
    expect(shown('.interval-edit input[name=end]').val()).toBe('00:00');
  });

  it('shows interval errors next to their fields', async () => {
    const therapist = await newTherapist();
    const response = await t.http
      .post(`/therapists/${therapist.id}/working-hours`)
      .type('form')
      .send({ weekday: '9', start: '14:00', end: '13:00' })
      .expect(400);
    const $ = htmlOf(response);
    expect(isFullPage(response)).toBe(true);
    expect($('h1').text()).toBe('Omar Haddad');
    expect($('#weekday-error').text()).toBe('Day must not be greater than 7');
    expect($('input[name=start]').val()).toBe('14:00');
  });

  it('refuses an interval overlapping another on the same day', async () => {
    const therapist = await newTherapist();
    await t.http
      .put(`/api/therapists/${therapist.id}/working-hours`)
      .send({ intervals: [{ weekday: 1, start: '09:00', end: '12:00' }] });
    const $ = htmlOf(
      await t.http
        .post(`/therapists/${therapist.id}/working-hours`)
        .type('form')
        .send({ weekday: '1', start: '11:00', end: '15:00' })
        .expect(409),
    );
    expect($('#start-error').text()).toBe('overlaps another interval on the same day');
  });

  it('edits an interval in place: its own form, prefilled, saves the change', async () => {
    const therapist = await newTherapist();
    await t.http
      .put(`/api/therapists/${therapist.id}/working-hours`)
      .send({ intervals: [{ weekday: 1, start: '09:00', end: '17:00' }] })
      .expect(200);
    const [interval] = await t.em().find(WorkingHours, { therapist });
    const $ = await hoursPage(therapist);
    const edit = $('.working-hours-table details.interval-edit');
    expect(edit.attr('open')).toBeUndefined();
    expect(edit.find('summary').text()).toBe('Edit Monday 09:00–17:00');
    const form = edit.find('form');
    expect(form.attr('action')).toBe(`${hoursOf(therapist)}/${interval?.id}`);
    expect(form.find('select[name=weekday] option[selected]').val()).toBe('1');
    expect([form.find('input[name=start]').val(), form.find('input[name=end]').val()]).toEqual([
      '09:00',
      '17:00',
    ]);

    await t.http
      .post(`${hoursOf(therapist)}/${interval?.id}`)
      .type('form')
      .send({ weekday: '2', start: '10:00', end: '16:00' })
      .expect(303)
      .expect('Location', `/therapists/${therapist.id}#working-hours`);
    const stored = await t.em().findOneOrFail(WorkingHours, interval?.id ?? 0);
    expect(stored).toMatchObject({ weekday: 2, startMinute: 600, endMinute: 960 });
    const after = await hoursPage(therapist);
    expect(textsOf(after, '#flash p')).toEqual(['Working hours changed: Tuesday 10:00–16:00']);
  });

  it('a refused edit shows that interval’s form open, its input kept and the message next to the field', async () => {
    const therapist = await newTherapist();
    await t.http
      .put(`/api/therapists/${therapist.id}/working-hours`)
      .send({
        intervals: [
          { weekday: 1, start: '09:00', end: '12:00' },
          { weekday: 1, start: '13:00', end: '17:00' },
        ],
      })
      .expect(200);
    const [morning] = await t.em().find(WorkingHours, { therapist }, { orderBy: { startMinute: 'asc' } });
    const url = `${hoursOf(therapist)}/${morning?.id}`;
    const backwards = htmlOf(
      await t.http.post(url).type('form').send({ weekday: '1', start: '11:00', end: '10:00' }).expect(400),
    );
    const open = backwards('details.interval-edit[open]');
    expect(open.length).toBe(1);
    expect(open.find('form').attr('action')).toBe(url);
    expect(backwards(`#interval-${morning?.id}-end-error`).text()).toBe('To must be after start');
    expect(open.find('input[name=end]').attr('aria-describedby')).toBe(`interval-${morning?.id}-end-error`);
    expect(open.find('input[name=start]').val()).toBe('11:00');

    const overlapping = htmlOf(
      await t.http.post(url).type('form').send({ weekday: '1', start: '09:00', end: '14:00' }).expect(409),
    );
    expect(overlapping(`#interval-${morning?.id}-start-error`).text()).toBe(
      'overlaps another interval on the same day',
    );
    expect(await t.em().findOneOrFail(WorkingHours, morning?.id ?? 0)).toMatchObject({ endMinute: 720 });
    await t.http
      .post(`${hoursOf(therapist)}/999999`)
      .type('form')
      .send({ weekday: '1', start: '09:00', end: '10:00' })
      .expect(404);
  });

  it('a change that strands Scheduled sessions leads to the hours’ own page, listing each with a reschedule link', async () => {
    const therapist = await createTherapist(t.em(), { name: 'Mara Quinn' });
    const patient = await createPatient(t.em(), { name: 'Theo Marsh' });
    await t.http
      .put(`/api/therapists/${therapist.id}/working-hours`)
      .send({ intervals: [{ weekday: 2, start: '09:00', end: '17:00' }] })
      .expect(200);
    // Tuesday 4 November 2031, 15:00 in London.
    const afternoon = await createSession(t.em(), {
      therapist,
      patient,
      startsAt: new Date('2031-11-04T15:00:00Z'),
    });
    const [interval] = await t.em().find(WorkingHours, { therapist });
    const response = await t.http
      .post(`${hoursOf(therapist)}/${interval?.id}`)
      .type('form')
      .send({ weekday: '2', start: '09:00', end: '13:00' })
      .expect(303);
    expect(response.headers.location).toBe(`${hoursOf(therapist)}#stranded-heading`);
    const $ = await hoursPage(therapist);
    expect(textsOf($, '#flash p')).toEqual([
      'Working hours changed: Tuesday 09:00–13:00. 1 Scheduled session is outside the therapist’s hours, time off or a closure: reschedule it below.'.replace(
        '’',
        "'",
      ),
    ]);
    const item = $('#working-hours .stranded-list li');
    expect(item.length).toBe(1);
    expect(item.text().replace(/\s+/g, ' ')).toContain('Theo Marsh with Mara Quinn');
    expect(item.find('a').attr('href')).toBe(`/sessions/${afternoon.id}`);
    // The section keeps listing it (also where the therapist's page loads it) until it is moved.
    const fragment = htmlOf(await t.http.get(hoursOf(therapist)).set(HTMX).expect(200));
    expect(fragment('.stranded-list li').length).toBe(1);

    // Without hours every time is bookable: removing the last interval strands nothing; adding a Wednesday
    // leaves the Tuesday session out again.
    await t.http
      .post(`${hoursOf(therapist)}/${interval?.id}/delete`)
      .type('form')
      .send({})
      .expect(303)
      .expect('Location', `/therapists/${therapist.id}#working-hours`);
    await t.http
      .post(hoursOf(therapist))
      .type('form')
      .send({ weekday: '3', start: '09:00', end: '17:00' })
      .expect(303)
      .expect('Location', `${hoursOf(therapist)}#stranded-heading`);
  });

  it('edits the time zone and buffer on the therapist form', async () => {
    const therapist = await newTherapist();
    await t.http
      .post(`/therapists/${therapist.id}`)
      .type('form')
      .send({
        name: 'Omar Haddad',
        email: therapist.email,
        specialty: '',
        time_zone: 'America/New_York',
        buffer_minutes: '15',
      })
      .expect(303);
    const $ = htmlOf(await t.http.get(`/therapists/${therapist.id}`).expect(200));
    expect($('.person-summary').text()).toContain('America/New_York');
    expect($('.person-summary').text()).not.toContain("The clinic's");
    expect($('.person-summary').text()).toContain('15 minutes between sessions');
    expect((await hoursPage(therapist))('#working-hours h2').text()).toContain('America/New_York');
    const invalid = htmlOf(
      await t.http
        .post(`/therapists/${therapist.id}`)
        .type('form')
        .send({
          name: 'Omar Haddad',
          email: therapist.email,
          specialty: '',
          time_zone: 'Mars/Base',
          buffer_minutes: '500',
        })
        .expect(400),
    );
    expect(invalid('#time_zone-error').text()).toBe(
      'Time zone must be an IANA time-zone name such as Europe/London',
    );
    expect(invalid('#buffer_minutes-error').text()).toBe('Buffer (minutes) must not be greater than 120');
  });
});
