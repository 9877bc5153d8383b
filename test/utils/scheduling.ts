import { expect } from '@jest/globals';
import type { Response } from 'supertest';
import type { Patient } from '../../src/patients/patient.entity.js';
import type { SessionEventResponse, SessionResponse } from '../../src/sessions/dto/session.dto.js';
import type { Therapist } from '../../src/therapists/therapist.entity.js';
import type { WorkingHoursResponse } from '../../src/scheduling/dto/working-hours.dto.js';
import { createPatient, createTherapist } from './factories.js';
import { historyOf, scheduleOf, sessionOf } from './http.js';
import type { TestApp } from './test-app.js';

/** A booking through `POST /api/sessions`; without `patient`, a new patient is made for it. */
export interface Booking {
  therapist: number;
  patient?: number;
  date: string;
  minutes?: number;
  extra?: Record<string, unknown>;
}

export interface SchedulingHelpers {
  therapist: (data?: Partial<Therapist>) => Promise<Therapist>;
  patient: (data?: Partial<Patient>) => Promise<Patient>;
  book: (booking: Booking) => Promise<Response>;
  booked: (booking: Booking) => Promise<number>;
  setHours: (therapistId: number, intervals: object[]) => Promise<WorkingHoursResponse>;
  therapistWith: (intervals: object[], data?: Partial<Therapist>) => Promise<Therapist>;
  current: (id: number) => Promise<SessionResponse>;
  history: (id: number) => Promise<SessionEventResponse[]>;
}

/**
 * The helpers the scheduling suites share: people made through the ORM, bookings and working hours through the
 * API. `app` is a getter because a suite creates its app in `beforeAll`, after these are defined.
 */
export function schedulingHelpers(app: () => TestApp): SchedulingHelpers {
  const therapist = (data: Partial<Therapist> = {}): Promise<Therapist> => createTherapist(app().em(), data);
  const patient = (data: Partial<Patient> = {}): Promise<Patient> => createPatient(app().em(), data);

  const book = async ({
    therapist: therapistId,
    patient: patientId,
    date,
    minutes,
    extra,
  }: Booking): Promise<Response> =>
    app()
      .http.post('/api/sessions')
      .send({
        therapist_id: therapistId,
        patient_id: patientId ?? (await patient()).id,
        date,
        ...(minutes === undefined ? {} : { duration_minutes: minutes }),
        ...extra,
      });

  /** Books and insists on a 201 (naming the date if not), answering the new session's id. */
  const booked = async (booking: Booking): Promise<number> => {
    const response = await book(booking);
    expect({ date: booking.date, status: response.status }).toEqual({ date: booking.date, status: 201 });
    return sessionOf(response).id;
  };

  const setHours = async (therapistId: number, intervals: object[]): Promise<WorkingHoursResponse> =>
    scheduleOf(
      await app().http.put(`/api/therapists/${therapistId}/working-hours`).send({ intervals }).expect(200),
    );

  /** A therapist with the given weekly hours (in the clinic's zone unless they have their own). */
  const therapistWith = async (intervals: object[], data: Partial<Therapist> = {}): Promise<Therapist> => {
    const person = await therapist(data);
    await setHours(person.id, intervals);
    return person;
  };

  const current = async (id: number): Promise<SessionResponse> =>
    sessionOf(await app().http.get(`/api/sessions/${id}`).expect(200));

  const history = async (id: number): Promise<SessionEventResponse[]> =>
    historyOf(await app().http.get(`/api/sessions/${id}/history`).expect(200));

  return { therapist, patient, book, booked, setHours, therapistWith, current, history };
}
