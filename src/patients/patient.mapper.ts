import type { PatientResponse } from './dto/patient.dto.js';
import type { Patient } from './patient.entity.js';

export function toPatientResponse(patient: Patient): PatientResponse {
  return {
    id: patient.id,
    name: patient.name,
    email: patient.email,
    phone: patient.phone,
    date_of_birth: patient.dateOfBirth,
    created_at: patient.createdAt.toISOString(),
    updated_at: patient.updatedAt.toISOString(),
  };
}
