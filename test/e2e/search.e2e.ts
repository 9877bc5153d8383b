import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPatient, createSession, createTherapist } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

interface Listed {
  data: { id: number; name?: string }[];
}
const idsOf = (response: { body: unknown }): number[] =>
  (response.body as Listed).data.map((item) => item.id);

/** A receptionist finds people however their names are typed: accents, case, word order, a phone's punctuation. */
describe('search that finds people by any spelling', () => {
  let t: TestApp;
  let maria: number;
  let dedric: number;
  let lukasz: number;
  let session: number;

  beforeAll(async () => {
    t = await createTestApp();
    const em = t.em();
    const chen = await createTherapist(em, { name: 'Dr Maya Chen' });
    const patients = [
      await createPatient(em, { name: 'María González', email: 'maria.gonzalez@example.com' }),
      await createPatient(em, { name: 'Dedric Boyer', phone: '+44 (20) 7946-0123' }),
      await createPatient(em, { name: 'Łukasz Żółć' }),
      await createPatient(em, { name: 'Mario Rossi' }),
    ];
    [maria, dedric, lukasz] = patients.map((patient) => patient.id) as [number, number, number];
    const booked = await createSession(em, {
      therapist: chen,
      patient: patients[1],
      startsAt: new Date(Date.UTC(2031, 2, 3, 9)),
    });
    session = booked.id;
  });

  afterAll(async () => {
    await t.close();
  });

  const patientsFound = async (q: string): Promise<number[]> =>
    idsOf(await t.http.get('/api/patients').query({ q }).expect(200));

  it('ignores accents and case, in the name and the e-mail', async () => {
    expect(await patientsFound('gonzalez')).toEqual([maria]);
    expect(await patientsFound('GONZÁLEZ')).toEqual([maria]);
    expect(await patientsFound('lukasz zolc')).toEqual([lukasz]);
    expect(await patientsFound('maria.gonzalez@')).toEqual([maria]);
  });

  it('takes the words in any order, each found anywhere in the name', async () => {
    expect(await patientsFound('maria g')).toEqual([maria]);
    expect(await patientsFound('Boyer Dedric')).toEqual([dedric]);
    expect((await patientsFound('mari')).sort()).toEqual([maria, ...(await patientsFound('rossi'))].sort());
    expect(await patientsFound('boyer maria')).toEqual([]);
  });

  it('finds a phone number whatever its punctuation, and takes LIKE wildcards literally', async () => {
    expect(await patientsFound('020 7946 0123')).toEqual([]);
    expect(await patientsFound('7946 0123')).toEqual([dedric]);
    expect(await patientsFound('(20) 79460123')).toEqual([dedric]);
    expect(await patientsFound('%')).toEqual([]);
    expect(await patientsFound('_')).toEqual([]);
  });

  it('finds sessions by the therapist’s and the patient’s names together, in any order, on the pages too', async () => {
    const found = async (q: string): Promise<number[]> =>
      idsOf(await t.http.get('/api/sessions').query({ q }).expect(200));
    expect(await found('chen dedric')).toEqual([session]);
    expect(await found('BOYER maya')).toEqual([session]);
    expect(await found('gonzalez')).toEqual([]);
    const page = await t.http.get('/patients').query({ q: 'gonzalez' }).expect(200);
    expect(page.text).toContain('María González');
  });

  it('is served by the trigram indexes on the normalized text and the phone digits', async () => {
    // On a handful of rows a sequential scan is cheaper: forbidden here (in this transaction) to see the index.
    const plans = await t.em().transactional(async (em) => {
      await em.execute('set local enable_seqscan = off');
      const plan = async (where: string): Promise<string> =>
        (await em.execute<{ 'QUERY PLAN': string }[]>(`explain select id from patient p where ${where}`))
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      return [
        await plan(
          `search_normalize(p.name || ' ' || coalesce(p.email, '')) like '%' || search_normalize('gonz') || '%'`,
        ),
        await plan(`regexp_replace(p.phone, '\\D', '', 'g') like '%79460123%'`),
      ];
    });
    expect(plans[0]).toContain('patient_search_trgm');
    expect(plans[1]).toContain('patient_phone_digits_trgm');
  });

  it('warns of a possible duplicate (same name and birth date, or the same phone) until the desk confirms', async () => {
    const first = await t.http
      .post('/api/patients')
      .send({ name: 'Amélie Durand', date_of_birth: '1984-03-02', phone: '+33 1 42 68 53 00' })
      .expect(201);
    const firstId = (first.body as { id: number }).id;
    const again = await t.http
      .post('/api/patients')
      .send({ name: 'amelie DURAND', date_of_birth: '1984-03-02' })
      .expect(409);
    expect(again.body).toMatchObject({
      type: '/problems/possible-duplicate',
      duplicates: [
        { id: firstId, name: 'Amélie Durand', date_of_birth: '1984-03-02', url: `/patients/${firstId}` },
      ],
    });
    const samePhone = await t.http
      .post('/api/patients')
      .send({ name: 'Someone Else', phone: '+33 (1) 42.68.53.00' });
    expect(samePhone.status).toBe(409);
    await t.http
      .post('/api/patients')
      .send({ name: 'Amélie Durand', date_of_birth: '1990-01-01' })
      .expect(201);
    await t.http
      .post('/api/patients')
      .send({ name: 'Amélie Durand', date_of_birth: '1984-03-02', confirm_duplicate: true })
      .expect(201);
    // A role that may not add patients learns nothing about who is on file.
    const therapist = await t.signIn('therapist', { therapistId: (await createTherapist(t.em())).id });
    await therapist
      .post('/api/patients')
      .send({ name: 'Amélie Durand', date_of_birth: '1984-03-02' })
      .expect(403);

    // On the page: the form lists them, links them, and a ticked box adds the patient anyway.
    const form = { name: 'Amelie Durand', date_of_birth: '1984-03-02', email: '', phone: '' };
    const shown = await t.http.post('/patients').type('form').send(form).expect(409);
    expect(shown.text).toContain('This may be a patient already on file');
    expect(shown.text).toContain(`href="/patients/${firstId}"`);
    await t.http
      .post('/patients')
      .type('form')
      .send({ ...form, confirm_duplicate: 'true' })
      .expect(303);
  });
});
