import type { TherapistResponse } from './dto/therapist.dto.js';
import type { Therapist } from './therapist.entity.js';

export function toTherapistResponse(therapist: Therapist): TherapistResponse {
  return {
    id: therapist.id,
    name: therapist.name,
    email: therapist.email,
    specialty: therapist.specialty,
    time_zone: therapist.timeZone,
    buffer_minutes: therapist.bufferMinutes,
    created_at: therapist.createdAt.toISOString(),
    updated_at: therapist.updatedAt.toISOString(),
  };
}
