import type { ClinicClock } from '../common/time/clinic-time.js';
import type { MfaStatus } from './mfa.service.js';
import { groupedSecret, qrCodeDataUrl } from './totp.js';

/** The code fields of the page's forms, each with its own error. */
export type MfaCodeField = 'confirm_code' | 'regenerate_code' | 'disable_code';

export interface MfaPageView {
  title: string;
  enrolled: boolean;
  enabledAt: string | null;
  /** The role requires it: it cannot be turned off, and nothing else opens until it is on. */
  required: boolean;
  recoveryCodesLeft: number;
  /** While an enrolment waits for its first code: the QR code and the secret to type by hand. */
  setup?: { qrCode: string; secret: string };
  /** Shown this once, right after they were made. */
  recoveryCodes?: string[];
  errors: Partial<Record<MfaCodeField, string>>;
}

export async function mfaPage(
  status: MfaStatus,
  clock: ClinicClock,
  extra: { recoveryCodes?: string[]; errors?: MfaPageView['errors'] } = {},
): Promise<MfaPageView> {
  return {
    title: 'Two-factor sign-in',
    enrolled: status.enrolled,
    enabledAt: status.enabledAt ? clock.dateTime(status.enabledAt) : null,
    required: status.required,
    recoveryCodesLeft: status.recoveryCodesLeft,
    setup: status.pending && {
      qrCode: await qrCodeDataUrl(status.pending.uri),
      secret: groupedSecret(status.pending.secret),
    },
    recoveryCodes: extra.recoveryCodes,
    errors: extra.errors ?? {},
  };
}
