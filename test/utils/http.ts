import type { Response } from 'supertest';
import type { ProblemDetails } from '../../src/common/problems/problem-details.js';
import type { PatientListResponse, PatientResponse } from '../../src/patients/dto/patient.dto.js';
import type {
  CancelledSessionsResponse,
  SeriesResponse,
  SessionEventResponse,
  SessionHistoryResponse,
  SessionListResponse,
  SessionResponse,
} from '../../src/sessions/dto/session.dto.js';
import type { WorkingHoursResponse } from '../../src/scheduling/dto/working-hours.dto.js';
import type { TherapistListResponse, TherapistResponse } from '../../src/therapists/dto/therapist.dto.js';

// supertest types every body as `any`; tests name the shape they expect instead.
export const sessionOf = (response: Response): SessionResponse => response.body as SessionResponse;
export const sessionListOf = (response: Response): SessionListResponse =>
  response.body as SessionListResponse;
export const historyOf = (response: Response): SessionEventResponse[] =>
  (response.body as SessionHistoryResponse).data;
export const seriesOf = (response: Response): SeriesResponse => response.body as SeriesResponse;
export const cancelledOf = (response: Response): SessionResponse[] =>
  (response.body as CancelledSessionsResponse).data;
export const scheduleOf = (response: Response): WorkingHoursResponse => response.body as WorkingHoursResponse;
export const therapistOf = (response: Response): TherapistResponse => response.body as TherapistResponse;
export const therapistListOf = (response: Response): TherapistListResponse =>
  response.body as TherapistListResponse;
export const patientOf = (response: Response): PatientResponse => response.body as PatientResponse;
export const patientListOf = (response: Response): PatientListResponse =>
  response.body as PatientListResponse;

/** Asserts the RFC 9457 shape and content type, and returns the problem. */
export function problemOf(response: Response, status: number): ProblemDetails {
  if (response.status !== status) {
    throw new Error(`Expected status ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`Expected application/problem+json, got ${String(response.headers['content-type'])}`);
  }
  const problem = JSON.parse(response.text) as ProblemDetails;
  const shapeOk =
    typeof problem.type === 'string' &&
    typeof problem.title === 'string' &&
    problem.status === status &&
    typeof problem.detail === 'string' &&
    Array.isArray(problem.errors) &&
    problem.errors.every((error) => typeof error.field === 'string' && typeof error.message === 'string');
  if (!shapeOk) throw new Error(`Not a problem document: ${response.text}`);
  return problem;
}

export const fieldsOf = (problem: ProblemDetails): string[] =>
  problem.errors.map((error) => error.field).sort();

/** The statuses of concurrent answers, e.g. "1 × 200, 19 × 412", for a race test's report. */
export const statusSummary = (responses: readonly Response[]): string => {
  const counts = new Map<number, number>();
  for (const response of responses) counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
};

export const withStatus = (responses: readonly Response[], status: number): Response[] =>
  responses.filter((response) => response.status === status);
